/**
 * The state of the audit hash chain as an auditor can see it: the newest checkpoint the hub
 * signed (its place on the chain, the head's hash, when and with which key), and whether its
 * Ed25519 signature holds, checked in this browser with WebCrypto. A valid signature says the hub
 * with that key signed this head; whether the chain still holds it is for `npm run audit:verify
 * -- --checkpoint FILE` against a copy kept outside the hub, as the README explains.
 */
import { useEffect, useState } from 'react';
import { graphql } from '../gql';
import type { AuditCheckpointQuery } from '../gql/graphql';
import { t } from '../i18n';
import { useSession } from '../session/session';

const AuditCheckpointDocument = graphql(`
  query AuditCheckpoint {
    auditCheckpoint {
      sequence
      hash
      signedAt
      keyId
      publicKey
      signature
    }
  }
`);

type Checkpoint = NonNullable<AuditCheckpointQuery['auditCheckpoint']>;
type Verdict = 'checking' | 'valid' | 'invalid' | 'unsupported';

const base64Bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

/** The signed text, exactly as src/audit/audit-checkpoint.ts signs it. */
const signedText = (c: Checkpoint) => `portcullis-audit-checkpoint/v1\n${c.sequence}\n${c.hash}\n${c.signedAt}`;

async function verifyCheckpoint(c: Checkpoint): Promise<Verdict> {
  const der = base64Bytes(c.publicKey.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''));
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey('spki', der, { name: 'Ed25519' }, false, ['verify']);
  } catch (e) {
    // A browser without Ed25519 in WebCrypto cannot check it; a key it cannot read is a bad checkpoint.
    return e instanceof DOMException && e.name === 'NotSupportedError' ? 'unsupported' : 'invalid';
  }
  const ok = await crypto.subtle.verify({ name: 'Ed25519' }, key, base64Bytes(c.signature), new TextEncoder().encode(signedText(c)));
  return ok ? 'valid' : 'invalid';
}

export function ChainState() {
  const { api } = useSession();
  const [checkpoint, setCheckpoint] = useState<Checkpoint | null>();
  const [verdict, setVerdict] = useState<Verdict>('checking');
  const [error, setError] = useState<string>();

  useEffect(() => {
    api.must(AuditCheckpointDocument, {}).then(
      ({ auditCheckpoint: c }) => {
        setCheckpoint(c ?? null);
        if (c) verifyCheckpoint(c).then(setVerdict, () => setVerdict('invalid'));
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [api]);

  return (
    <section className="panel" aria-labelledby="audit-chain">
      <h2 id="audit-chain">{t('audit.chain.title')}</h2>
      {error && <p className="error">{t('common.error', { reason: error })}</p>}
      {checkpoint === undefined && !error && <p>{t('common.loading')}</p>}
      {checkpoint === null && <p className="notice">{t('audit.chain.none')}</p>}
      {checkpoint && (
        <>
          <p className={verdict === 'valid' ? 'ok' : verdict === 'invalid' ? 'error' : 'help'} data-verdict={verdict}>
            {t(`audit.chain.${verdict}`, { keyId: checkpoint.keyId })}
          </p>
          <dl className="record">
            <dt>{t('audit.chain.length')}</dt>
            <dd>{checkpoint.sequence}</dd>
            <dt>{t('audit.chain.head')}</dt>
            <dd className="audit-ids">{checkpoint.hash}</dd>
            <dt>{t('audit.chain.signedAt')}</dt>
            <dd>{checkpoint.signedAt}</dd>
            <dt>{t('audit.chain.keyId')}</dt>
            <dd>{checkpoint.keyId}</dd>
          </dl>
          <p className="help">{t('audit.chain.help')}</p>
        </>
      )}
    </section>
  );
}
