/**
 * Access made visible: a record's TLP 2.0 label, why the caller sees it, and its withheld fields,
 * each shown as "withheld" with the reason and never as an empty value. The hub decides all of
 * it (`access { basis agreementId redactedFields }`); the console only shows the verdict.
 */
import type { ReactNode } from 'react';
import { t, type MessageKey } from '../i18n';
import { graphql } from '../gql';

/**
 * Every record query selects `access { ...AccessFields }`.
 * @public graphql-codegen reads the fragment from this call; operations spread it by name.
 */
export const AccessFieldsFragment = graphql(`
  fragment AccessFields on Access {
    basis
    agreementId
    redactedFields
  }
`);

/** TLP 2.0 levels as the API names them (CLEAR, GREEN, AMBER, AMBER_STRICT, RED). */
type Tlp = string;

export interface AccessView {
  basis: string;
  agreementId?: string | null;
  redactedFields: readonly string[];
}

/** The TLP 2.0 label: coloured text on black, as the standard draws it. */
function TlpLabel({ tlp }: { tlp: Tlp }) {
  return (
    <span className={`tlp tlp-${tlp.toLowerCase()}`} title={t(`tlp.title.${tlp}` as MessageKey)}>
      {t('tlp.label', { level: t(`tlp.${tlp}` as MessageKey) })}
    </span>
  );
}

function basisText(access: AccessView): string {
  return t(`basis.${access.basis}` as MessageKey, { agreement: access.agreementId ?? '' });
}

function BasisLabel({ access }: { access: AccessView }) {
  return (
    <span
      className={`basis basis-${access.basis.toLowerCase()}`}
      title={t(`basis.title.${access.basis}` as MessageKey, { agreement: access.agreementId ?? '' })}
    >
      {basisText(access)}
    </span>
  );
}

/** TLP and basis side by side, as every record shows them. */
export function AccessLine({ tlp, access }: { tlp: Tlp; access: AccessView }) {
  return (
    <span className="access-line">
      <TlpLabel tlp={tlp} />
      <span className="sr-only">{t('basis.label')}</span>
      <BasisLabel access={access} />
    </span>
  );
}

/**
 * One field of a record: its value, "withheld" with the reason when the access model withholds
 * it, or a dash when the record simply has no value.
 */
export function FieldValue(props: { access: AccessView; field: string; value: ReactNode | null | undefined }) {
  if (props.access.redactedFields.includes(props.field)) {
    const reason = t('withheld.reason', { basis: basisText(props.access) });
    return (
      <span className="withheld" data-withheld={props.field}>
        <strong>{t('withheld.value')}</strong> <small>{reason}</small>
      </span>
    );
  }
  if (props.value === null || props.value === undefined || props.value === '') return <span className="empty">{t('common.none')}</span>;
  return <>{props.value}</>;
}
