/** Every mount, unmount and upload the app follows, kept in step with main's 'tasks/changed' events. */
import { SvelteMap } from 'svelte/reactivity';
import type { IsoDeskApi } from '../../../main/ipc/contract.js';
import type { Task, TaskEvent } from '../../../main/domain/models.js';

export class Tasks {
  private readonly byKey = new SvelteMap<string, Task>();
  /** Newest first; the steps of a job are shown within their job (jobs.svelte.ts), not here. */
  list = $derived([...this.byKey.values()].filter((t) => !t.job_key).sort((a, b) => b.created_at - a.created_at));
  running = $derived(this.list.filter((t) => t.state === 'running').length);
  finished = $derived(this.list.length - this.running);

  constructor(private readonly api: IsoDeskApi) {}

  /** Reads main's task journal; events that arrived meanwhile win when they are newer. */
  async load(): Promise<void> {
    const tasks = await this.api.tasks.list({});
    const listed = new Set(tasks.map((t) => t.key));
    for (const key of [...this.byKey.keys()]) if (!listed.has(key)) this.byKey.delete(key);
    for (const task of tasks) {
      const known = this.byKey.get(task.key);
      if (!known || known.updated_at <= task.updated_at) this.byKey.set(task.key, task);
    }
  }

  /** Applies a main-process event; answers the task as it now stands, or null when it was cleared. */
  apply(event: TaskEvent): Task | null {
    if (event.type === 'cleared') {
      this.byKey.delete(event.task.key);
      return null;
    }
    const known = this.byKey.get(event.task.key);
    // Events can overtake the answer that created the task; never step back to older news.
    if (known && known.updated_at > event.task.updated_at) return known;
    this.byKey.set(event.task.key, event.task);
    return event.task;
  }

  /** Shows a task main just created, before its 'created' event arrives. */
  add(task: Task): void {
    if (!this.byKey.has(task.key)) this.byKey.set(task.key, task);
  }

  get(key: string): Task | undefined {
    return this.byKey.get(key);
  }

  async clearFinished(): Promise<number> {
    const { cleared } = await this.api.tasks.clear({});
    for (const task of [...this.byKey.values()]) if (task.state !== 'running') this.byKey.delete(task.key);
    return cleared;
  }
}
