/** A fixed number of workers taking items in order: item i goes to the first worker that is free. */
export async function runPool<T, R>(items: readonly T[], workers: number, work: (item: T, worker: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (id: number) => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, id);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(workers, items.length)) }, (_, id) => worker(id)));
  return results;
}
