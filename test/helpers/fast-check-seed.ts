// Property tests run with a fixed seed so CI is repeatable; FC_SEED=<number> replays another run and
// FC_SEED=random explores new inputs locally (a failure prints the seed to pin it).
import fc from 'fast-check';

const requested = process.env.FC_SEED;
if (requested !== 'random') fc.configureGlobal({ seed: requested ? Number(requested) : 20_261_124 });
