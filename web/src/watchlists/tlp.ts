/** TLP 2.0 levels in order, as the forms list them. */
import type { Tlp } from '../gql/graphql';
import { t, type MessageKey } from '../i18n';

const TLP_ORDER: Record<Tlp, number> = { CLEAR: 0, GREEN: 1, AMBER: 2, AMBER_STRICT: 3, RED: 4 };

export const TLP_LEVELS = (Object.keys(TLP_ORDER) as Tlp[]).sort((a, b) => TLP_ORDER[a] - TLP_ORDER[b]);

export const tlpText = (level: Tlp) => t('tlp.label', { level: t(`tlp.${level}` as MessageKey) });
