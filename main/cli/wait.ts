/**
 * --wait: follows one task in the journal until it ends, showing a live progress line (spinner,
 * state, elapsed) on a terminal and one plain line per change otherwise. The journal decides, not
 * this process's tracker: another process (the desktop app, another CLI) may be the one that
 * asks HOSTKEY and stores the outcome.
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

/** How often the journal is read again, whatever the events say. */
const RECHECK_MS = 1_000;

/** Resolves with the task once the journal says it is no longer running; this process's tracker helps poll meanwhile. */
export async function waitForTask(ctx: CommandContext, task: Task): Promise<Task> {
  if (task.state !== 'running') return task;
  // Loaded with the app by now; imported statically, the journal (and zod) would load for --help too.
  const { toTask } = await import('./run-command.js');
  const progress = new ProgressLine(ctx.out, task);
  return new Promise<Task>((resolve) => {
    const check = () => {
      const stored = ctx.app.journal.get(task.key);
      if (!stored) return;
      const current = toTask(stored);
      progress.update(current);
      if (current.state === 'running') return;
      finish();
      resolve(current);
    };
    // Also keeps the process alive: the tracker's timers do not (so the desktop app can quit).
    const recheck = setInterval(check, RECHECK_MS);
    const unsubscribe = ctx.app.events.on('tasks/changed', ({ task: changed }) => {
      if (changed.key === task.key) check();
    });
    const forget = ctx.onInterrupt(() => {
      finish();
      ctx.out.note('Stopped waiting. The task goes on at HOSTKEY; "isodesk tasks" shows how it ends.');
    });
    function finish(): void {
      clearInterval(recheck);
      unsubscribe();
      forget();
      progress.stop();
    }
    progress.start();
    ctx.app.trackTasks();
    check();
  });
}
