import { SANDBOX_HOME, SANDBOX_USER, SUPERVISOR_CMD } from './container-spec';
import { unavailable } from './errors';
import {
  createSupervisorConnection,
  type SupervisorConnection,
  type SupervisorStream,
} from './supervisor-client';

/**
 * Opening the supervisor channel of a started container: the attach stream first (the
 * supervisor is the container's main process), else a fresh `--once` supervisor through
 * `docker exec`. Structural types only, so this file does not import dockerode
 * (docker-runner.ts passes its container objects in).
 */

/** The two calls of a dockerode `Container` that reach its supervisor. */
export interface SupervisorHost {
  attach(options: {
    stream: boolean;
    stdin: boolean;
    stdout: boolean;
    stderr: boolean;
    hijack: boolean;
  }): Promise<SupervisorStream>;
  exec(options: {
    Cmd: string[];
    AttachStdin: boolean;
    AttachStdout: boolean;
    AttachStderr: boolean;
    Tty: boolean;
    User: string;
    WorkingDir: string;
  }): Promise<{ start(options: { hijack: boolean; stdin: boolean }): Promise<SupervisorStream> }>;
}

/** Connects and checks the supervisor's protocol version; `exec` skips the attach stream. */
export async function connectSupervisor(
  container: SupervisorHost,
  transport: 'attach' | 'exec' = 'attach',
): Promise<SupervisorConnection> {
  if (transport !== 'exec') {
    try {
      const stream = await container.attach({
        stream: true,
        stdin: true,
        stdout: true,
        stderr: true,
        hijack: true,
      });
      return await hello(createSupervisorConnection(stream));
    } catch {
      // Fall through to the exec fallback: a fresh supervisor via `docker exec`.
    }
  }
  try {
    const exec = await container.exec({
      Cmd: [...SUPERVISOR_CMD, '--once'],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      User: SANDBOX_USER,
      WorkingDir: SANDBOX_HOME,
    });
    const stream = await exec.start({ hijack: true, stdin: true });
    return await hello(createSupervisorConnection(stream));
  } catch (err) {
    throw unavailable('The sandbox supervisor did not answer.', err);
  }
}

async function hello(conn: SupervisorConnection): Promise<SupervisorConnection> {
  try {
    const r = await conn.request({ op: 'hello' }, 15_000);
    if (r.ok !== true || r.version !== 1) throw unavailable('Unexpected supervisor version.');
    return conn;
  } catch (err) {
    conn.close();
    throw err;
  }
}
