import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFaker } from './corpus/fake';
import {
  bsnValid,
  cardIssuerValid,
  ibanValid,
  jwtHeaderValid,
  luhnValid,
  ninoPrefixValid,
  shannonEntropy,
  spanishIdValid,
  ssnValid,
} from './validators';

describe('luhn', () => {
  it('accepts network test numbers and rejects a changed digit', () => {
    for (const n of [
      '4111111111111111',
      '5555555555554444',
      '378282246310005',
      '6011111111111117',
    ]) {
      expect(luhnValid(n)).toBe(true);
    }
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('41111x1111111111')).toBe(false);
  });

  it('catches every single-digit change (property)', () => {
    const f = createFaker(7);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const n = f.luhn('4', 16);
        const d = (Number(n[pos]) + delta) % 10;
        return !luhnValid(n.slice(0, pos) + d + n.slice(pos + 1));
      }),
    );
  });

  it('knows issuer prefixes and their lengths', () => {
    expect(cardIssuerValid('4111111111111111')).toBe(true);
    expect(cardIssuerValid('378282246310005')).toBe(true);
    expect(cardIssuerValid('3782822463100050')).toBe(false); // Amex is 15 digits
    expect(cardIssuerValid('1234567890123452')).toBe(false); // no network starts with 1
    expect(cardIssuerValid('9780306406157')).toBe(false); // ISBN
  });
});

describe('iban', () => {
  it('accepts registry examples and rejects a wrong check or length', () => {
    for (const i of ['GB82WEST12345698765432', 'DE89370400440532013000', 'NL91ABNA0417164300']) {
      expect(ibanValid(i)).toBe(true);
    }
    expect(ibanValid('DE89370400440532013001')).toBe(false);
    expect(ibanValid('GB82WEST1234569876543')).toBe(false);
    expect(ibanValid('XX82WEST12345698765432')).toBe(false);
  });

  it('catches every single-character substitution (property)', () => {
    const f = createFaker(11);
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 21 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const iban = f.iban('DE', f.str('0123456789', 18));
        const d = (Number(iban[pos]) + delta) % 10;
        return ibanValid(iban) && !ibanValid(iban.slice(0, pos) + d + iban.slice(pos + 1));
      }),
    );
  });
});

describe('national ids', () => {
  it('applies the SSN invalid ranges', () => {
    expect(ssnValid('123', '45', '6789')).toBe(true);
    expect(ssnValid('000', '45', '6789')).toBe(false);
    expect(ssnValid('666', '45', '6789')).toBe(false);
    expect(ssnValid('900', '45', '6789')).toBe(false);
    expect(ssnValid('123', '00', '6789')).toBe(false);
    expect(ssnValid('123', '45', '0000')).toBe(false);
  });

  it('applies the NINO prefix rules', () => {
    expect(ninoPrefixValid('AB')).toBe(true);
    for (const p of ['QQ', 'DA', 'AO', 'GB', 'BG', 'ZZ', 'NT'])
      expect(ninoPrefixValid(p)).toBe(false);
  });

  it('checks the BSN 11-proof and the DNI/NIE letter', () => {
    expect(bsnValid('111222333')).toBe(true);
    expect(bsnValid('123456782')).toBe(true);
    expect(bsnValid('123456789')).toBe(false);
    expect(bsnValid('000000000')).toBe(false);
    expect(spanishIdValid('12345678Z')).toBe(true);
    expect(spanishIdValid('X1234567L')).toBe(true);
    expect(spanishIdValid('12345678A')).toBe(false);
    expect(spanishIdValid('X12345678L')).toBe(false);
  });
});

describe('entropy and JWT header', () => {
  it('ranks random strings above words', () => {
    expect(shannonEntropy('aaaaaaaa')).toBe(0);
    expect(shannonEntropy('password')).toBeLessThan(3);
    expect(
      shannonEntropy(
        createFaker(3).str('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop0123456789', 40),
      ),
    ).toBeGreaterThan(4);
  });

  it('needs a JSON header with alg', () => {
    const enc = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, '');
    expect(jwtHeaderValid(`${enc({ alg: 'HS256' })}.e30.sig`)).toBe(true);
    expect(jwtHeaderValid(`${enc({ typ: 'JWT' })}.e30.sig`)).toBe(false);
    expect(jwtHeaderValid(`${enc([1, 2])}.e30.sig`)).toBe(false);
    expect(jwtHeaderValid('eyJub3QganNvbg.e30.sig')).toBe(false);
    expect(jwtHeaderValid('!!!.e30.sig')).toBe(false);
  });
});
