/**
 * The web console (web/), served as static files at `/` under a strict Content-Security-Policy:
 * everything from the hub's own origin, no inline script or style, no framing. The console is
 * only a client of /graphql, so the access model applies to it unchanged.
 *
 * The CSP's connect-src and form-action also name the origins of the identity providers that
 * issuers.yaml configures for single sign-on (`signIn`), and only those, as the policies stand now.
 *
 * Besides the files: /console/settings (what the sign-in page offers: per agency, its identity
 * provider's discovery URL and the console's client id there) and, in development only,
 * /dev/token, which signs a demo token with the development issuer (src/auth/dev-token.ts), and
 * the API explorer's page /explorer (GraphiQL in the console; answered 404 in any other mode).
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { type Express, type Request, type Response } from 'express';
import helmet from 'helmet';
import { DEV_ISSUER, mintDevToken } from '../auth/dev-token';
import type { ConsoleSettings } from '../config';
import type { Logger } from '../common/logger';
import { PURPOSES, ROLES, type Issuer, type PolicySet } from '../policy/types';
import type { PolicyStore } from '../request/policy-store';

/** A console session's token lives a duty shift at most, and never longer than the issuer allows. */
const DEV_SIGN_IN_TTL_SECONDS = 8 * 60 * 60;

/** Paths the console never answers with its page: the API and the probes keep their own answers. */
const NOT_CONSOLE = /^\/(graphql|health|healthz|readyz|metrics|dev|console)(\/|$)/;
/** The API explorer's page: the console's only in development (ConsoleSettings.explorer). */
const EXPLORER = /^\/explorer(\/|$)/;

/** The origins of the identity providers the console signs in through, for the CSP (per policy set). */
const signInOriginsOf = new WeakMap<PolicySet, string[]>();

function signInOrigins(policies: PolicyStore): string[] {
  const policy = policies.current.policy;
  let origins = signInOriginsOf.get(policy);
  if (!origins) {
    origins = [...new Set(policy.issuers.flatMap((i) => (i.signIn ? [new URL(i.signIn.discovery).origin] : [])))];
    signInOriginsOf.set(policy, origins);
  }
  return origins;
}

/** What the sign-in page offers for single sign-on: per member agency, the provider to use. */
function signInProviders(policies: PolicyStore) {
  const { policy } = policies.current;
  return policy.issuers.flatMap((issuer) =>
    issuer.signIn
      ? issuer.agencies.flatMap((code) => {
          const agency = policy.agencies.get(code); // a departed agency signs in no more
          return agency ? [{ agency: code, name: agency.name, issuer: issuer.iss, ...issuer.signIn }] : [];
        })
      : [],
  );
}

/** Security headers for every answer of the hub; the CSP is what the console needs and no more. */
export function securityHeaders(policies: PolicyStore) {
  // The console fetches the provider's discovery document and token endpoint, and goes there to sign in and out.
  const providers = () => signInOrigins(policies).join(' ');
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'", providers],
        manifestSrc: ["'self'"],
        baseUri: ["'none'"],
        formAction: ["'self'", providers],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    // The hub may be reached over plain HTTP on a closed network or loopback: no HSTS from here
    // (a TLS-terminating proxy sets it), and no upgrade of the console's own requests.
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  });
}

function devIssuer(policies: PolicyStore): Issuer | undefined {
  return policies.current.policy.issuers.find((i) => i.iss === DEV_ISSUER);
}

function devSignInOptions(policies: PolicyStore) {
  const issuer = devIssuer(policies);
  if (!issuer) return null;
  const agencies = [...policies.current.policy.agencies.values()].filter((a) => issuer.agencies.includes(a.code));
  return { agencies: agencies.map(({ code, name, kind }) => ({ code, name, kind })), roles: [...ROLES] };
}

const refuse = (res: Response, status: number, error: string) => res.status(status).json({ error });

function devToken(policies: PolicyStore, log: Logger) {
  return (req: Request, res: Response) => {
    const issuer = devIssuer(policies);
    if (!issuer) return refuse(res, 404, 'the development issuer is not trusted by this hub');
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null) return refuse(res, 400, 'send a JSON object with agency and roles');
    const { agency, roles } = body as { agency?: unknown; roles?: unknown };
    const options = devSignInOptions(policies);
    if (typeof agency !== 'string' || !options?.agencies.some((a) => a.code === agency)) {
      return refuse(res, 400, 'agency must be the code of a demo agency the development issuer signs for');
    }
    const known: readonly string[] = ROLES;
    if (
      !Array.isArray(roles) ||
      roles.length === 0 ||
      roles.length > ROLES.length ||
      !roles.every((r) => typeof r === 'string' && known.includes(r))
    ) {
      return refuse(res, 400, `roles must be a non-empty list of ${ROLES.join(', ')}`);
    }
    const ttlSeconds = Math.min(DEV_SIGN_IN_TTL_SECONDS, issuer.maxTokenLifetimeSeconds);
    const token = mintDevToken({ agency, roles: [...new Set(roles as string[])], ttlSeconds, subject: `console-${agency}` });
    log.info({ agency }, 'development sign-in');
    res.set('Cache-Control', 'no-store').json({ token, expiresAt: new Date(Date.now() + ttlSeconds * 1000).toISOString() });
  };
}

/** Mounts the console's files and endpoints; call after /graphql, so the API keeps its own answers. */
export function mountConsole(app: Express, settings: ConsoleSettings, policies: PolicyStore, log: Logger): void {
  const index = path.join(settings.dir, 'index.html');
  const built = fs.existsSync(index);
  if (!built) log.warn({ dir: settings.dir }, 'the web console is not built (npm run build:console): / serves nothing');
  if (settings.devSignIn && devIssuer(policies)) {
    log.warn('development sign-in is on (NODE_ENV=development): anyone who reaches this hub can sign in as any demo agency');
  }

  app.get('/console/settings', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({
      purposes: PURPOSES,
      devSignIn: settings.devSignIn ? devSignInOptions(policies) : null,
      signIn: signInProviders(policies),
      explorer: settings.explorer,
    });
  });
  if (settings.devSignIn) app.post('/dev/token', express.json({ limit: 1024 }), devToken(policies, log));

  if (built) {
    app.use(
      '/assets',
      express.static(path.join(settings.dir, 'assets'), { immutable: true, maxAge: '1y', index: false, fallthrough: false }),
    );
  }
  // Every other page of the console is its index: the console routes in the browser.
  app.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_CONSOLE.test(req.path) || !req.accepts('html')) return next();
    if (!settings.explorer && EXPLORER.test(req.path)) return next();
    if (!built)
      return res.status(503).json({
        errors: [{ message: 'the web console is not built: run npm run build:console', extensions: { code: 'SERVICE_UNAVAILABLE' } }],
      });
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
}
