// A local OpenID Connect provider for the console's single sign-on journey (test/console/sso.test.ts):
// oidc-provider on loopback over plain HTTP, as an agency's identity provider would be on HTTPS.
// It runs as a child process (oidc-provider is ESM only, which Jest's module system cannot load):
// once listening it prints {"port":N}, then reads one JSON line {hubOrigin, clientId,
// accessTokenTtl} from stdin and serves from then on.
//
// It issues JWT access tokens for the hub (aud "portcullis") carrying the agency and roles of the
// account that signed in, and refresh tokens to the console (a public client, PKCE required).
// Its pages (login, sign-out) load nothing from anywhere, so the journey can assert exactly which
// requests left the hub's origin.
import crypto from 'node:crypto';
import http from 'node:http';
import readline from 'node:readline';
import Provider from 'oidc-provider';

/** The people this provider knows: any password is accepted (a test provider). */
const ACCOUNTS = {
  'officer.visser': { agency: 'nl-customs', roles: ['analyst', 'auditor'] },
};
/** The hub as a resource server: its audience and the scope that asks for a token for it. */
const RESOURCE = 'urn:portcullis:hub';
const HUB_SCOPE = 'hub';

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const issuer = `http://127.0.0.1:${port}`;
process.stdout.write(`${JSON.stringify({ port })}\n`);
const line = await new Promise((resolve) => readline.createInterface({ input: process.stdin }).once('line', resolve));
const { hubOrigin, clientId, accessTokenTtl } = JSON.parse(line);

const signingKey = {
  ...crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
  kid: 'test-1',
  alg: 'RS256',
  use: 'sig',
};

const page = (title, body) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      token_endpoint_auth_method: 'none',
      redirect_uris: [`${hubOrigin}/signin/callback`],
      post_logout_redirect_uris: [`${hubOrigin}/signin/signed-out`],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  findAccount: async (_ctx, id) => (ACCOUNTS[id] ? { accountId: id, claims: async () => ({ sub: id }) } : undefined),
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  scopes: ['openid', 'offline_access', HUB_SCOPE],
  features: {
    devInteractions: { enabled: false },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => RESOURCE,
      useGrantedResource: async () => true,
      getResourceServerInfo: async () => ({
        scope: HUB_SCOPE,
        audience: 'portcullis',
        accessTokenTTL: accessTokenTtl,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page(
          'Sign out',
          `${form}<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`,
        );
      },
    },
  },
  // What the hub reads of a token: the agency it speaks for and the person's roles (issuers.yaml).
  extraTokenClaims: async (_ctx, token) => (token.kind === 'AccessToken' ? { ...ACCOUNTS[token.accountId] } : undefined),
  // The console renews silently with a refresh token (no offline_access consent round in a test).
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
});

/** The login page and its answer: signing in grants the console what it asked for (no consent page). */
async function interaction(req, res, uid, submitted) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (!submitted) {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(
      page(
        'Sign in to the test provider',
        `<form method="post" action="/interaction/${escape(uid)}/login"><label for="login">User name</label><input id="login" name="login" autofocus>` +
          `<label for="password">Password</label><input id="password" name="password" type="password"><button type="submit">Sign in</button></form>`,
      ),
    );
    return;
  }
  let body = '';
  for await (const chunk of req) body += chunk;
  const login = new URLSearchParams(body).get('login') ?? '';
  if (!ACCOUNTS[login]) {
    res.statusCode = 400;
    res.end(page('Unknown user', `<p>${escape(login)} is not known here.</p>`));
    return;
  }
  const grant = new provider.Grant({ accountId: login, clientId: details.params.client_id });
  grant.addOIDCScope(String(details.params.scope ?? 'openid'));
  grant.addResourceScope(RESOURCE, HUB_SCOPE);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { login: { accountId: login }, consent: { grantId } }, { mergeWithLastSubmission: false });
}

const callback = provider.callback();
server.on('request', (req, res) => {
  const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(new URL(req.url, issuer).pathname);
  if (!match) return callback(req, res);
  interaction(req, res, match[1], Boolean(match[2]) && req.method === 'POST').catch((err) => {
    res.statusCode = 400;
    res.end(page('Sign-in failed', `<p>${escape(err.message)}</p>`));
  });
});
