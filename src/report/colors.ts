export interface Palette {
  red(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
  underline(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

const COLORS: Palette = {
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  blue: wrap(34, 39),
  dim: wrap(2, 22),
  bold: wrap(1, 22),
  underline: wrap(4, 24),
};
const PLAIN: Palette = { red: String, yellow: String, blue: String, dim: String, bold: String, underline: String };

/** `--no-color` and NO_COLOR win; FORCE_COLOR turns colour on; otherwise colour only on a terminal. */
export function choosePalette(options: { color?: boolean; isTTY: boolean; env: NodeJS.ProcessEnv }): Palette {
  if (options.color === false || (options.env.NO_COLOR !== undefined && options.env.NO_COLOR !== '')) return PLAIN;
  const force = options.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force === '0' || force === 'false' ? PLAIN : COLORS;
  return options.isTTY ? COLORS : PLAIN;
}
