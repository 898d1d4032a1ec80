/** Every migration in order; new ones are appended here. */
import { Initial1764000000000 } from './1764000000000-Initial';

export const MIGRATIONS = [Initial1764000000000];
