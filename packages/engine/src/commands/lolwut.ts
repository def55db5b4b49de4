import type { Client } from '../client.js';
import { Errors } from '../errors.js';
import { parseInteger } from '../numbers.js';
import { SERVER_VERSION } from '../version.js';
import { integerArgument, isKeyword } from '../arguments.js';
import { replyText } from '../replies.js';

/*--- A canvas of pixels (Redis's lolwut.c) ---*/

class Canvas {
  readonly pixels: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: number,
  ) {
    this.pixels = new Uint8Array(width * height).fill(background);
  }

  draw(x: number, y: number, color: number): void {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return;
    this.pixels[x + y * this.width] = color;
  }

  get(x: number, y: number): number {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return 0;
    return this.pixels[x + y * this.width];
  }

  /** Bresenham, both ends included. */
  line(x1: number, y1: number, x2: number, y2: number, color: number): void {
    const dx = Math.abs(x2 - x1);
    const dy = Math.abs(y2 - y1);
    const sx = x1 < x2 ? 1 : -1;
    const sy = y1 < y2 ? 1 : -1;
    let error = dx - dy;
    for (;;) {
      this.draw(x1, y1, color);
      if (x1 === x2 && y1 === y2) return;
      const doubled = error * 2;
      if (doubled > -dy) {
        error -= dy;
        x1 += sx;
      }
      if (doubled < dx) {
        error += dx;
        y1 += sy;
      }
    }
  }

  /**
   * A square of side `size` centred on x,y and turned by `angle`, in C's float arithmetic
   * (Math.fround) so that the pixels are Redis's.
   */
  square(x: number, y: number, size: number, angle: number, color: number): void {
    const half = cRound(Math.fround(size / 1.4142135623));
    const xs: number[] = [];
    const ys: number[] = [];
    let k = Math.fround(Math.PI / 4 + angle);
    for (let corner = 0; corner < 4; corner++) {
      xs.push(cRound(Math.sin(k) * half + x));
      ys.push(cRound(Math.cos(k) * half + y));
      k = Math.fround(k + Math.PI / 2);
    }
    for (let corner = 0; corner < 4; corner++) {
      const next = (corner + 1) % 4;
      this.line(xs[corner], ys[corner], xs[next], ys[next], color);
    }
  }
}

/** C's round(): halves away from zero. */
function cRound(value: number): number {
  return Math.sign(value) * Math.floor(Math.abs(value) + 0.5);
}

/** C's rand(): a non-negative 31-bit integer. */
function rand(): number {
  return Math.floor(Math.random() * 0x80000000);
}

/** C's float operations, each rounded to single precision. */
const f = Math.fround;

/*--- LOLWUT 5: Schotter, after Georg Nees (Redis's lolwut5.c) ---*/

function schotter(columns: number, perRow: number, perColumn: number): Canvas {
  const width = columns * 2;
  const padding = width > 4 ? 2 : 0;
  const side = f((width - padding * 2) / perRow);
  const height = Math.trunc(f(f(side * perColumn) + padding * 2));
  const canvas = new Canvas(width, height, 0);
  for (let y = 0; y < perColumn; y++) {
    for (let x = 0; x < perRow; x++) {
      let sx = Math.trunc(f(f(f(x * side) + f(side / 2)) + padding));
      let sy = Math.trunc(f(f(f(y * side) + f(side / 2)) + padding));
      let angle = 0;
      // The lower the row, the more each square is turned and moved at random.
      if (y > 1) {
        const offsets = [0, 0, 0].map(() => f(f(f(f(rand()) / f(0x7fffffff)) / perColumn) * y));
        const signed = offsets.map((offset) => (rand() % 2 ? -offset : offset));
        angle = signed[0];
        sx = Math.trunc(f(sx + f(f(signed[1] * side) / 3)));
        sy = Math.trunc(f(sy + f(f(signed[2] * side) / 3)));
      }
      canvas.square(sx, sy, side, angle, 1);
    }
  }
  return canvas;
}

/** Each 2x4 block of pixels as one Braille character (U+2800 plus the dots' bits), in UTF-8. */
function brailleText(canvas: Canvas): string {
  let text = '';
  for (let y = 0; y < canvas.height; y += 4) {
    for (let x = 0; x < canvas.width; x += 2) {
      const dots =
        canvas.get(x, y) |
        (canvas.get(x, y + 1) << 1) |
        (canvas.get(x, y + 2) << 2) |
        (canvas.get(x + 1, y) << 3) |
        (canvas.get(x + 1, y + 1) << 4) |
        (canvas.get(x + 1, y + 2) << 5) |
        (canvas.get(x, y + 3) << 6) |
        (canvas.get(x + 1, y + 3) << 7);
      const code = 0x2800 + dots;
      text += String.fromCharCode(
        0xe0 | (code >> 12),
        0x80 | ((code >> 6) & 0x3f),
        0x80 | (code & 0x3f),
      );
    }
    if (y !== canvas.height - 1) text += '\n';
  }
  return text;
}

/** LOLWUT 5 [columns [squares-per-row [squares-per-column]]] */
function lolwut5(client: Client, args: string[]): void {
  const values = [66, 8, 12];
  for (let i = 0; i < Math.min(args.length, 3); i++) {
    const value = integerArgument(client, args[i]);
    if (value === null) return;
    values[i] = value;
  }
  const [columns, perRow, perColumn] = [
    clamp(values[0], 1000),
    clamp(values[1], 200),
    clamp(values[2], 200),
  ];
  const art = brailleText(schotter(columns, perRow, perColumn));
  replyText(
    client,
    `${art}\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. ${SERVER_VERSION}\n`,
  );
}

function clamp(value: number, max: number): number {
  return Math.min(max, Math.max(1, value));
}

/*--- LOLWUT 6: a skyline of 8 bit games (Redis's lolwut6.c) ---*/

interface Skyscraper {
  offset: number;
  width: number;
  height: number;
  windows: boolean;
  color: number;
}

function skyscraper(canvas: Canvas, building: Skyscraper): void {
  const bottom = canvas.height - 1;
  const top = bottom - building.height + 1;
  const left = building.offset;
  const right = building.offset + building.width;
  for (let y = bottom; y >= top; y--) {
    for (let x = left; x < right; x++) {
      // The roof is four pixels narrower.
      if (y === top && (x <= left + 1 || x >= right - 2)) continue;
      let color = building.color;
      const inner = x > left + 1 && x < right - 2 && y > top + 1 && y < bottom - 1;
      if (building.windows && inner) {
        const column = x - (left + 1);
        const row = y - (top + 1);
        // Windows two pixels wide, one tall, both pixels of one window alike.
        if (Math.trunc(column / 2) % 2 && row % 2) {
          do color = 1 + (rand() % 2);
          while (color === building.color);
          if (column % 2) color = canvas.get(x - 1, y);
        }
      }
      canvas.draw(x, y, color);
    }
  }
}

function skyline(canvas: Canvas): void {
  const { width, height } = canvas;
  // Window-less buildings behind, the lighter gray furthest.
  for (let color = 2; color >= 1; color--) {
    for (let offset = -10; offset < width;) {
      offset += rand() % 8;
      const buildingWidth = 10 + (rand() % 9);
      const buildingHeight =
        color === 2
          ? Math.trunc(height / 2) + Math.trunc((rand() % height) / 2)
          : Math.trunc(height / 2) + Math.trunc((rand() % height) / 3);
      skyscraper(canvas, {
        offset,
        width: buildingWidth,
        height: buildingHeight,
        windows: false,
        color,
      });
      offset += color === 2 ? Math.trunc(buildingWidth / 2) : buildingWidth + 1;
    }
  }
  for (let offset = -10; offset < width;) {
    offset += rand() % 8;
    let buildingWidth = 5 + (rand() % 14);
    if (buildingWidth % 4) buildingWidth += buildingWidth % 3;
    const buildingHeight = Math.trunc(height / 3) + Math.trunc((rand() % height) / 2);
    skyscraper(canvas, {
      offset,
      width: buildingWidth,
      height: buildingHeight,
      windows: true,
      color: 0,
    });
    offset += buildingWidth + 5;
  }
}

/** Black, two grays and white, each pixel a space with both colours set (ANSI escapes). */
const GRAYS = ['0;30;40m', '0;90;100m', '0;37;47m', '0;97;107m'];

function grayText(canvas: Canvas): string {
  let text = '';
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) text += `\x1b[${GRAYS[canvas.get(x, y)]} \x1b[0m`;
    if (y !== canvas.height - 1) text += '\n';
  }
  return text;
}

/** LOLWUT 6 [columns [rows]] */
function lolwut6(client: Client, args: string[]): void {
  const values = [80, 20];
  for (let i = 0; i < Math.min(args.length, 2); i++) {
    const value = integerArgument(client, args[i]);
    if (value === null) return;
    values[i] = value;
  }
  const canvas = new Canvas(clamp(values[0], 1000), clamp(values[1], 1000), 3);
  skyline(canvas);
  replyText(
    client,
    `${grayText(canvas)}\nDedicated to the 8 bit game developers of past and present.\n` +
      `Original 8 bit image from Plaguemon by hikikomori. Redis ver. ${SERVER_VERSION}\n`,
  );
}

/*--- The command ---*/

/**
 * LOLWUT [VERSION v] [...]: the art of a Redis version, 5 and 6 (and 4.9, 5.9, their
 * previews) drawing theirs; any other version, 7.0's own included, shows just the version.
 */
export function lolwut(client: Client, argv: string[]): void {
  let version = SERVER_VERSION;
  let args = argv.slice(1);
  if (argv.length >= 3 && isKeyword(argv[1], 'version')) {
    const asked = parseInteger(argv[2]);
    if (asked === null) {
      client.out.error(Errors.notInteger);
      return;
    }
    // Redis formats it as an unsigned int: -1 is 4294967295, 2^32 + 5 is 5.
    version = `${BigInt.asUintN(32, BigInt(asked))}.0.0`;
    args = argv.slice(3);
  }
  if (/^(5\.[^9]|4\.9)/.test(version)) lolwut5(client, args);
  else if (/^(6\.[^9]|5\.9)/.test(version)) lolwut6(client, args);
  else replyText(client, `Redis ver. ${SERVER_VERSION}\n`);
}
