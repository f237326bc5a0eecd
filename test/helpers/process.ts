import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cliPath = path.join(root, 'ops/bin/salesai.js');

export type RunningProcess = {
  child: ChildProcess;
  /** Where it serves HTTP; '' for a process without HTTP (`--role projector`). */
  baseUrl: string;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
};

/** Environment for a child process: nothing inherited that could point it at real services. */
export const childEnv = (env: Record<string, string>): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '/tmp',
  LOG_LEVEL: 'warn',
  // The weekly digest would DM reps in any suite run after Monday 09:00; its own tests turn it on.
  DIGEST_SCHEDULE: 'off',
  ...env,
});

/** Runs `salesai <args>` to completion. */
export const runCli = (args: string[], env: Record<string, string>, timeoutMs = 60_000) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { env: childEnv(env), cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });

export type ServeOptions = {
  /**
   * Its own process group: `stop` signals the whole group (the process and anything it started),
   * like a container or systemd stopping the service.
   */
  ownGroup?: boolean;
};

/** Starts `salesai serve` on a free port and waits until it prints that it runs (and its URLs). */
export const startServe = (
  env: Record<string, string>,
  args: string[] = [],
  timeoutMs = 60_000,
  options: ServeOptions = {},
) =>
  new Promise<RunningProcess>((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, 'serve', ...args], {
      env: childEnv({ PORT: '0', ...env }),
      cwd: root,
      detached: options.ownGroup === true,
    });
    const signal = (name: NodeJS.Signals) => {
      if (options.ownGroup && child.pid !== undefined) {
        try {
          process.kill(-child.pid, name);
          return;
        } catch {
          // The group is gone already; signal the process itself.
        }
      }
      child.kill(name);
    };
    let out = '';
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (!out.includes('Press Ctrl+C to stop.')) return;
      const match = /health:\s+(http:\/\/[^\s]+)\/api\/v1\/health/.exec(out);
      clearTimeout(timer);
      resolve({
        child,
        baseUrl: match?.[1] ?? '',
        output: () => out,
        stop: async (stopSignal = 'SIGTERM') => {
          if (child.exitCode === null) signal(stopSignal);
          // A process that does not stop within a minute is reported (with its output) and killed.
          const timer = setTimeout(() => {
            console.error(
              `serve did not exit within 60 s of ${stopSignal}; killing it. Output:\n${out.slice(-4000)}`,
            );
            signal('SIGKILL');
          }, 60_000);
          const code = await exited;
          clearTimeout(timer);
          return code;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before it started:\n${out}`));
    });
  });
