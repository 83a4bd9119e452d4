import type { Browser, CDPSession, Target } from 'puppeteer';

/** One network request some browser target started. */
export interface CapturedRequest {
  /** The target's type and URL, e.g. `service_worker chrome-extension://…/background.js`. */
  from: string;
  url: string;
  method: string;
}

/** A running capture; `requests` grows as targets send. */
export interface RequestCapture {
  requests: CapturedRequest[];
  /** Every target watched so far (type and URL at attach time). */
  targets: string[];
  stop(): Promise<void>;
}

/**
 * Records every request every target of the browser starts (pages, the extension's
 * service worker, workers, tabs a payload might open), through one CDP session per
 * target with the Network domain on. Targets created later are attached as they appear.
 */
export async function captureRequests(browser: Browser): Promise<RequestCapture> {
  const requests: CapturedRequest[] = [];
  const targets: string[] = [];
  const sessions: CDPSession[] = [];
  const attach = async (t: Target) => {
    if (t.type() === 'browser') return;
    const from = `${t.type()} ${t.url()}`;
    try {
      const session = await t.createCDPSession();
      sessions.push(session);
      session.on('Network.requestWillBeSent', (e) =>
        requests.push({ from, url: e.request.url, method: e.request.method }),
      );
      await session.send('Network.enable');
      targets.push(from);
    } catch {
      // A target that closed while attaching (a worker shutting down) sends nothing more.
    }
  };
  const onCreated = (t: Target) => void attach(t);
  browser.on('targetcreated', onCreated);
  await Promise.all(browser.targets().map(attach));
  return {
    requests,
    targets,
    async stop() {
      browser.off('targetcreated', onCreated);
      await Promise.all(sessions.map((s) => s.detach().catch(() => undefined)));
    },
  };
}
