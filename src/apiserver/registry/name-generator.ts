// metadata.generateName: upstream appends 5 characters from an alphabet without vowels (so no
// words form) and without look-alikes, after cutting the prefix so the name fits in 63 characters.
import { randomInt } from 'node:crypto';

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const RANDOM_LENGTH = 5;
const MAX_NAME_LENGTH = 63;
const MAX_PREFIX_LENGTH = MAX_NAME_LENGTH - RANDOM_LENGTH;

export function generateName(prefix: string, random: (max: number) => number = randomInt): string {
  let suffix = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) suffix += ALPHABET.charAt(random(ALPHABET.length));
  return `${prefix.slice(0, MAX_PREFIX_LENGTH)}${suffix}`;
}

export const GENERATE_NAME_ALPHABET = ALPHABET;
