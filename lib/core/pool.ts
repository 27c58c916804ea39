/**
 * Runs tasks a few at a time until a deadline: the exporter's round (its peers) and the mesh
 * (one query per peer) share it. Imports nothing of ours (ground floor).
 */

/** Runs `tasks` with at most `limit` at a time; a result is undefined when `stop` came first (tasks not started by then never start). */
export async function boundedPool<T>(tasks: readonly (() => Promise<T>)[], limit: number, stop: Promise<void>): Promise<(T | undefined)[]> {
  const results: (T | undefined)[] = Array.from({ length: tasks.length }, () => undefined);
  let next = 0;
  let stopped = false;
  void stop.then(() => (stopped = true));
  const worker = async (): Promise<void> => {
    while (!stopped && next < tasks.length) {
      const i = next++;
      const outcome = await Promise.race([tasks[i]().then((r) => ({ r })), stop.then(() => undefined)]);
      if (outcome) results[i] = outcome.r;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  return results;
}
