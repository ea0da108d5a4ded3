import { randomInt } from 'node:crypto';

// Two-word run names in the style Prefect gives flow runs ("radical-lemur"): an adjective
// and an animal, easy to say and to type in a search box. "woodoo" is left out so no new run
// can share a name with the demo run the documentation looks up by name.
const ADJECTIVES = [
  'amber', 'arrogant', 'bald', 'beryl', 'bouncy', 'brave', 'bright', 'calm', 'cerulean', 'cheerful',
  'clever', 'cobalt', 'cosmic', 'crafty', 'curious', 'daring', 'dashing', 'eager', 'electric', 'emerald',
  'fancy', 'fearless', 'flying', 'fuzzy', 'gentle', 'glorious', 'golden', 'groovy', 'happy', 'hilarious',
  'humongous', 'icy', 'jolly', 'jumping', 'khaki', 'lively', 'lovely', 'lucky', 'magenta', 'mellow',
  'merry', 'mighty', 'nimble', 'noble', 'olive', 'outrageous', 'placid', 'proud', 'quick', 'quirky',
  'radical', 'rainbow', 'rapid', 'sassy', 'scarlet', 'shiny', 'silky', 'smooth', 'sparkling', 'spiffy',
  'stalwart', 'steady', 'tan', 'teal', 'tidy', 'tough', 'turquoise', 'vegan', 'venomous', 'vivid',
  'whimsical', 'wild', 'witty', 'zealous',
] as const;

const ANIMALS = [
  'aardvark', 'albatross', 'alligator', 'alpaca', 'antelope', 'armadillo', 'badger', 'barracuda', 'bat', 'beaver',
  'bison', 'bobcat', 'buffalo', 'butterfly', 'camel', 'caracal', 'cat', 'chameleon', 'cheetah', 'chicken',
  'chipmunk', 'cobra', 'cockatoo', 'coyote', 'crab', 'crane', 'crocodile', 'dingo', 'dodo', 'dolphin',
  'donkey', 'dragonfly', 'eagle', 'eel', 'falcon', 'ferret', 'finch', 'flamingo', 'fox', 'frog',
  'gazelle', 'gecko', 'gerbil', 'gibbon', 'giraffe', 'gopher', 'hamster', 'hare', 'hedgehog', 'heron',
  'hippo', 'hyena', 'ibis', 'iguana', 'impala', 'jackal', 'jaguar', 'kangaroo', 'kiwi', 'koala',
  'lemur', 'leopard', 'lion', 'llama', 'lobster', 'lynx', 'macaw', 'marmot', 'meerkat', 'mongoose',
  'moose', 'narwhal', 'newt', 'ocelot', 'octopus', 'okapi', 'orca', 'otter', 'owl', 'panda',
  'pangolin', 'panther', 'parrot', 'pelican', 'penguin', 'puffin', 'quail', 'rabbit', 'raccoon', 'raven',
  'reindeer', 'rhino', 'salamander', 'seal', 'skunk', 'sloth', 'squid', 'starfish', 'stingray', 'swan',
  'tapir', 'tiger', 'toucan', 'turtle', 'unicorn', 'vulture', 'walrus', 'weasel', 'wombat', 'yak', 'zebra',
] as const;

function pick<T>(words: readonly T[]): T {
  return words[randomInt(words.length)] as T;
}

/** A new flow run name such as `radical-lemur`. */
export function generateRunName(): string {
  return `${pick(ADJECTIVES)}-${pick(ANIMALS)}`;
}
