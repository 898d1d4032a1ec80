/**
 * Every text the console shows, in English. Another language is another file with the same keys
 * (the type `Messages` makes a missing key a compile error). `{name}` marks a value filled in.
 */
export const en = {
  'app.name': 'Portcullis',
  'app.skipToContent': 'Skip to content',
  'nav.label': 'Main',
  'nav.alerts': 'Alert board',
  'nav.screening': 'Screening',
  'nav.report': 'Report activity',
  'nav.myReports': 'Our reports',
  'nav.signOut': 'Sign out',
  'nav.signedInAs': '{subject} of {agency}',
  'nav.purpose': 'Purpose: {purpose}',
  'nav.noPurpose': 'No purpose stated',

  'signIn.title': 'Sign in to Portcullis',
  'signIn.tokenHeading': 'With your agency’s access token',
  'signIn.tokenLabel': 'Access token',
  'signIn.tokenHelp': 'A bearer token from your agency’s identity provider. It is kept in this tab’s memory only.',
  'signIn.purposeLabel': 'Purpose of use',
  'signIn.purposeNone': 'None stated',
  'signIn.submit': 'Sign in',
  'signIn.devHeading': 'Demo agencies (development only)',
  'signIn.devHelp': 'This hub runs in development mode and signs demo tokens itself.',
  'signIn.agencyLabel': 'Agency',
  'signIn.rolesLabel': 'Roles',
  'signIn.devSubmit': 'Sign in as this agency',
  'signIn.failed': 'Sign-in failed: {reason}',
  'signIn.expired': 'Your session ended because its token expired. Sign in again.',
  'signIn.signedOut': 'You are signed out.',
  'signIn.tokenRequired': 'Paste an access token.',
  'signIn.rolesRequired': 'Choose at least one role.',

  'role.viewer': 'Viewer',
  'role.analyst': 'Analyst',
  'role.auditor': 'Auditor',

  'purpose.BORDER_CONTROL': 'Border control',
  'purpose.CUSTOMS': 'Customs',
  'purpose.FISHERIES': 'Fisheries',
  'purpose.LAW_ENFORCEMENT': 'Law enforcement',
  'purpose.MARITIME_SAFETY_SECURITY': 'Maritime safety and security',
  'purpose.MARINE_ENVIRONMENT': 'Marine environment',
  'purpose.DEFENCE': 'Defence',
  'purpose.PORT_OPERATIONS': 'Port operations',

  'tlp.label': 'TLP:{level}',
  'tlp.CLEAR': 'CLEAR',
  'tlp.GREEN': 'GREEN',
  'tlp.AMBER': 'AMBER',
  'tlp.AMBER_STRICT': 'AMBER+STRICT',
  'tlp.RED': 'RED',
  'tlp.title.CLEAR': 'TLP:CLEAR: may be shared without restriction',
  'tlp.title.GREEN': 'TLP:GREEN: may be shared within the community',
  'tlp.title.AMBER': 'TLP:AMBER: recipients and their organisations, need to know',
  'tlp.title.AMBER_STRICT': 'TLP:AMBER+STRICT: the recipient organisation only',
  'tlp.title.RED': 'TLP:RED: named recipients only',

  'basis.label': 'Seen as',
  'basis.OWNER': 'Owner',
  'basis.RECIPIENT': 'Named recipient',
  'basis.AGREEMENT': 'Agreement {agreement}',
  'basis.JURISDICTION': 'Jurisdiction',
  'basis.COMMUNITY': 'Community',
  'basis.PUBLIC': 'Public',
  'basis.REFERENCED': 'Referenced by another record',
  'basis.title.OWNER': 'Your agency owns this record',
  'basis.title.RECIPIENT': 'Your agency is named as a recipient',
  'basis.title.AGREEMENT': 'Shared with your agency under data-sharing agreement {agreement}',
  'basis.title.JURISDICTION': 'Your agency is an authority of the record’s jurisdiction',
  'basis.title.COMMUNITY': 'Shared with every member agency (TLP:GREEN)',
  'basis.title.PUBLIC': 'Public (TLP:CLEAR)',
  'basis.title.REFERENCED': 'Seen through another record you may see: core fields only',
  'withheld.value': 'withheld',
  'withheld.reason': 'not released to you as {basis}',

  'time.utc': '{time} UTC',
  'common.loading': 'Loading…',
  'common.error': 'Something went wrong: {reason}',
  'common.none': '—',
  'common.close': 'Close',
  'common.retry': 'Try again',
  'common.field.imo': 'IMO number',
  'common.field.mmsi': 'MMSI',
  'common.field.name': 'Vessel name',
  'common.field.flag': 'Flag',
  'common.field.port': 'Port',
  'common.field.category': 'Category',
  'common.field.severity': 'Severity',
  'common.field.status': 'Status',
  'common.field.owner': 'Owner',
  'common.field.tlp': 'TLP',

  // Alert board and alert detail (alerts/)
  'alerts.title': 'Alert board',

  // Screening and watchlist entries (screening/, entries/)
  'screening.title': 'Screening',

  // Suspicious-activity reports (reports/)
  'reports.title': 'Report suspicious activity',
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;
