/**
 * An agency leaves the membership while it owns records: removing it outright is refused with a
 * message naming its records, and keeping it listed as `departed` makes it a tombstone whose
 * records keep their owner and their rules.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { publishAlert } from './support/builders';
import { copyDemoPolicies, startTestHub, tokenFor, type TestHub } from './support/hub';

const LEAVER = 'fr-douane';
const ALERTS = '{ alerts(first: 100) { edges { node { id title ownerAgency { code name departedOn } } } } }';

let hub: TestHub;
let dir: string;
let amber: { id: string };
let red: { id: string };

/** Rewrites a YAML file of the policies copy through `edit`, keeping its comments. */
function editYaml(file: string, edit: (doc: ReturnType<typeof parseDocument>) => void) {
  const full = path.join(dir, file);
  const doc = parseDocument(fs.readFileSync(full, 'utf8'));
  edit(doc);
  fs.writeFileSync(full, doc.toString());
}

const agencyIndex = (doc: ReturnType<typeof parseDocument>) =>
  (doc.toJS().agencies as { code: string }[]).findIndex((a) => a.code === LEAVER);

beforeAll(async () => {
  dir = copyDemoPolicies();
  hub = await startTestHub({ policiesDir: dir });
  const leaver = tokenFor(LEAVER);
  amber = await publishAlert(hub, leaver, { title: 'amber from the leaver', port: 'FRLEH', tlp: 'AMBER' });
  red = await publishAlert(hub, leaver, { title: 'red from the leaver', port: 'FRLEH', tlp: 'RED' });
});
afterAll(async () => {
  await hub?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('removing an agency that owns records', () => {
  let saved: { agencies: string; issuers: string };
  beforeAll(() => {
    saved = {
      agencies: fs.readFileSync(path.join(dir, 'agencies.yaml'), 'utf8'),
      issuers: fs.readFileSync(path.join(dir, 'issuers.yaml'), 'utf8'),
    };
    editYaml('agencies.yaml', (doc) => doc.deleteIn(['agencies', agencyIndex(doc)]));
    editYaml('issuers.yaml', (doc) => {
      const issuers = doc.toJS().issuers as { agencies: string[] }[];
      issuers.forEach((issuer, i) =>
        doc.setIn(
          ['issuers', i, 'agencies'],
          issuer.agencies.filter((a) => a !== LEAVER),
        ),
      );
    });
  });
  afterAll(() => {
    fs.writeFileSync(path.join(dir, 'agencies.yaml'), saved.agencies);
    fs.writeFileSync(path.join(dir, 'issuers.yaml'), saved.issuers);
  });

  it('is refused on reload with a message naming the agency and its records, and the old set stays', async () => {
    const before = hub.policies.current;
    const result = await hub.policies.reload();
    expect(result.ok).toBe(false);
    const error = !result.ok ? result.error : '';
    expect(error).toMatch(new RegExp(`${LEAVER} is named by .*VesselAlert: 2 \\(`));
    for (const alert of [amber, red]) expect(error).toContain(alert.id);
    expect(error).toContain('departed: YYYY-MM-DD');
    expect(hub.policies.current).toBe(before);
    // Lists holding its records keep answering.
    const res = await hub.gql(tokenFor('fr-affaires-maritimes'), ALERTS);
    expect(res.errors).toBeUndefined();
    expect(res.data!.alerts.edges.map((e: any) => e.node).map((a: any) => a.title)).toContain('amber from the leaver');
  });

  it('is refused at start-up too, before the hub listens', async () => {
    await expect(startTestHub({ policiesDir: dir, database: hub.database })).rejects.toThrow(/fr-douane is named by .*VesselAlert: 2 \(/);
  });
});

describe('an agency kept as departed', () => {
  beforeAll(async () => {
    editYaml('agencies.yaml', (doc) => doc.setIn(['agencies', agencyIndex(doc), 'departed'], '2026-11-01'));
    expect(await hub.policies.reload()).toEqual({ ok: true });
  });

  it('still owns its records, shown as departed, under the same rules', async () => {
    const res = await hub.gql(tokenFor('fr-affaires-maritimes'), ALERTS);
    expect(res.errors).toBeUndefined();
    const mine = res.data!.alerts.edges.map((e: any) => e.node).filter((a: any) => a.ownerAgency.code === LEAVER);
    // The AMBER alert in its jurisdiction stays visible to a French authority; the RED one stays hidden.
    expect(mine).toEqual([
      { id: amber.id, title: 'amber from the leaver', ownerAgency: { code: LEAVER, name: expect.any(String), departedOn: '2026-11-01' } },
    ]);
  });

  it('can no longer sign in', async () => {
    const res = await hub.gql(tokenFor(LEAVER), '{ me { agency { code } } }');
    expect(res.status).toBe(401);
    expect(res.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect(res.errors![0].message).toBe(`not authenticated: agency ${LEAVER} has left the membership (departed 2026-11-01)`);
  });

  it('is listed only when asked for, and is no longer a recipient a record may name', async () => {
    const nl = tokenFor('nl-customs');
    const listed = await hub.gql(nl, '{ members: agencies { code } all: agencies(includeDeparted: true) { code departedOn } }');
    expect(listed.data!.members.map((a: any) => a.code)).not.toContain(LEAVER);
    expect(listed.data!.all).toContainEqual({ code: LEAVER, departedOn: '2026-11-01' });
    await expect(publishAlert(hub, nl, { recipients: [LEAVER] })).rejects.toThrow(
      `recipients: \\"${LEAVER}\\" left the membership on 2026-11-01; name current members only`,
    );
  });
});
