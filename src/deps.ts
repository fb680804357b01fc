// What every action and entry point receives: one explicit record, built in main.ts.

import type { Config } from './config.ts';
import type { Clock } from './lib/clock.ts';
import type { Db } from './store/db.ts';

export type Deps = { config: Config; db: Db; clock: Clock };
