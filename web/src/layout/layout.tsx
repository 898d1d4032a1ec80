/** The frame of every signed-in screen: a skip link, the navigation and who is signed in. */
import type { ReactNode } from 'react';
import { Link, useRoute } from 'wouter';
import { t, type MessageKey } from '../i18n';
import { hasRole, useSession } from '../session/session';

function NavLink(props: { href: string; label: MessageKey }) {
  const [active] = useRoute(props.href);
  return (
    <Link href={props.href} aria-current={active ? 'page' : undefined}>
      {t(props.label)}
    </Link>
  );
}

export function Layout({ children, explorer = false }: { children: ReactNode; explorer?: boolean }) {
  const { principal, signOut } = useSession();
  const operator = principal.agency.kind === 'PRIVATE_OPERATOR';
  const analyst = hasRole(principal, 'analyst');
  return (
    <>
      <a className="skip" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="top">
        <span className="brand">{t('app.name')}</span>
        <nav aria-label={t('nav.label')}>
          {!operator && <NavLink href="/alerts" label="nav.alerts" />}
          {!operator && <NavLink href="/screening" label="nav.screening" />}
          <NavLink href="/report" label="nav.report" />
          <NavLink href="/reports" label="nav.myReports" />
          {!operator && <NavLink href="/watchlists" label="nav.watchlists" />}
          {!operator && analyst && <NavLink href="/triage" label="nav.triage" />}
          {!operator && <NavLink href="/sightings" label="nav.sightings" />}
          {analyst && <NavLink href="/webhooks" label="nav.webhooks" />}
          <NavLink href="/agreements" label="nav.agreements" />
          {hasRole(principal, 'auditor') && <NavLink href="/audit" label="nav.audit" />}
          {explorer && <NavLink href="/explorer" label="nav.explorer" />}
        </nav>
        <span className="who">
          {t('nav.signedInAs', { subject: principal.subject, agency: principal.agency.name })}
          {' · '}
          {principal.purpose ? t('nav.purpose', { purpose: t(`purpose.${principal.purpose}` as MessageKey) }) : t('nav.noPurpose')}
        </span>
        <button type="button" className="secondary" onClick={signOut}>
          {t('nav.signOut')}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
