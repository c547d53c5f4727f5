import { withFileLock } from '@engine/report/lockfile'

/** Child process for the stale-lock test: takes LOCK, prints `locked`, then waits until killed. */
void withFileLock(process.argv[2], async () => {
  process.stdout.write('locked\n')
  await new Promise(() => setInterval(() => undefined, 1 << 30))
})
