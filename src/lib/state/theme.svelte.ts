/** Light/dark theme: follows the system until the user chooses, then remembers the choice. */
export type Theme = 'light' | 'dark';
const KEY = 'shopsight.theme';

class ThemeState {
  current = $state<Theme>('light');

  constructor() {
    let saved: string | null;
    try {
      saved = typeof localStorage !== 'undefined' ? localStorage.getItem(KEY) : null;
    } catch {
      saved = null;
    }
    if (saved === 'light' || saved === 'dark') this.current = saved;
    else if (typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches)
      this.current = 'dark';
    this.#apply();
  }

  set(theme: Theme): void {
    this.current = theme;
    try {
      localStorage.setItem(KEY, theme);
    } catch {
      // Storage may be unavailable in a sandboxed iframe; the choice lasts for this visit.
    }
    this.#apply();
  }

  toggle(): void {
    this.set(this.current === 'dark' ? 'light' : 'dark');
  }

  #apply(): void {
    if (typeof document !== 'undefined') document.documentElement.dataset.theme = this.current;
  }
}

export const theme = new ThemeState();
