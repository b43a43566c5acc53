/**
 * --wait: follows one task through the app's tracker until it ends, showing a live progress line
 * (spinner, state, elapsed) on a terminal and one plain line per change otherwise.
 */
import type { Task } from '../domain/models.js';
import type { CommandContext } from './context.js';
import type { Output } from './output.js';
import { formatDuration } from './format.js';
import { printable } from './table.js';
import { runningText } from './task-text.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 100;

class ProgressLine {
  private timer: NodeJS.Timeout | null = null;
  private frame = 0;
  private lastPlain = '';

  constructor(
    private readonly out: Output,
    private task: Task,
  ) {}

  start(): void {
    if (this.out.json) return;
    if (this.out.interactive) {
      this.timer = setInterval(() => this.draw(), FRAME_MS);
      this.draw();
    } else {
      this.plain();
    }
  }

  update(task: Task): void {
    this.task = task;
    if (!this.out.interactive) this.plain();
  }

  stop(): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
      this.out.stdout.write('\r\x1b[2K');
    }
  }

  private status(): string {
    return this.task.status ? `${this.task.state} (${this.task.status})` : this.task.state;
  }

  private draw(): void {
    this.frame = (this.frame + 1) % FRAMES.length;
    const elapsed = formatDuration(Date.now() - this.task.created_at);
    const text = printable(`${FRAMES[this.frame]} ${runningText(this.task)} · ${this.status()} · ${elapsed}`);
    this.out.stdout.write(`\r\x1b[2K${text.slice(0, this.out.width - 1)}`);
  }

  private plain(): void {
    const text = printable(`${runningText(this.task)}: ${this.status()}`);
    if (text === this.lastPlain || this.task.state !== 'running') return;
    this.lastPlain = text;
    this.out.line(text);
  }
}

/** Resolves with the task once it is no longer running; the tracker polls it meanwhile. */
export function waitForTask(ctx: CommandContext, task: Task): Promise<Task> {
  if (task.state !== 'running') return Promise.resolve(task);
  const progress = new ProgressLine(ctx.out, task);
  return new Promise<Task>((resolve) => {
    // The tracker's timers do not hold the process open (so the desktop app can quit); this does.
    const keepAlive = setInterval(() => undefined, 60_000);
    const unsubscribe = ctx.app.events.on('tasks/changed', ({ task: changed }) => {
      if (changed.key !== task.key) return;
      progress.update(changed);
      if (changed.state === 'running') return;
      finish();
      resolve(changed);
    });
    const forget = ctx.onInterrupt(() => {
      finish();
      ctx.out.note('Stopped waiting. The task goes on at HOSTKEY; "isodesk tasks" shows how it ends.');
    });
    function finish(): void {
      clearInterval(keepAlive);
      unsubscribe();
      forget();
      progress.stop();
    }
    progress.start();
    ctx.app.trackTasks();
  });
}
