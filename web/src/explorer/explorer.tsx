/**
 * The API explorer (development only: the hub offers it in /console/settings and answers
 * /explorer with 404 otherwise): GraphiQL, bundled with the console, sending every request to
 * /graphql as the signed-in session. The session's token is added by the fetcher, never shown in
 * the headers editor, a URL or storage; the purpose of use is filled into the headers editor,
 * so an integrator can try another. GraphiQL keeps its tabs and history in this page's memory
 * only (MemoryStorage), so nothing of a session outlives it.
 */
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { useEffect, useMemo, useRef, type ComponentProps, type RefObject } from 'react';
import { GRAPHQL_PATH } from '../api/client';
import { t, type MessageKey } from '../i18n';
import { useSession } from '../session/session';
import './explorer.css';

type Fetcher = ComponentProps<typeof GraphiQL>['fetcher'];

/** A Storage that forgets everything with the page: GraphiQL would otherwise write localStorage. */
class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, String(value));
  }
}

const DEFAULT_QUERY = `# Requests go to this hub as your session: its token and purpose of use.
query WhoAmI {
  me {
    subject
    roles
    purpose
    agency {
      code
      name
    }
  }
}
`;

/** The headers the user typed, minus any Authorization: the session's token is the only one sent. */
function typedHeaders(headers: unknown): Record<string, string> {
  if (typeof headers !== 'object' || headers === null) return {};
  return Object.fromEntries(
    Object.entries(headers as Record<string, unknown>).filter(([k, v]) => typeof v === 'string' && k.toLowerCase() !== 'authorization'),
  ) as Record<string, string>;
}

/** GraphiQL's editors, by the class of their container, and the name each one's text box is given. */
const EDITOR_NAMES: [string, MessageKey][] = [
  ['.graphiql-query-editor', 'explorer.queryEditor'],
  ['.graphiql-editor-tool', 'explorer.toolEditor'],
  ['.result-window', 'explorer.result'],
];

/**
 * CodeMirror's text boxes in GraphiQL carry no label: name them, as they appear (GraphiQL mounts
 * its editors when their panes open).
 */
function useEditorLabels(frame: RefObject<HTMLDivElement | null>) {
  useEffect(() => {
    const root = frame.current;
    if (!root) return;
    const label = () => {
      for (const [selector, key] of EDITOR_NAMES) {
        root
          .querySelectorAll<HTMLTextAreaElement>(`${selector} textarea:not([aria-label])`)
          .forEach((box) => box.setAttribute('aria-label', t(key)));
      }
    };
    label();
    const observer = new MutationObserver(label);
    observer.observe(root, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [frame]);
}

export default function Explorer() {
  const { credentials, principal } = useSession();
  const storage = useMemo(() => new MemoryStorage(), []);
  const frame = useRef<HTMLDivElement>(null);
  useEditorLabels(frame);
  const fetcher = useMemo<Fetcher>(
    () => async (params, opts) => {
      const response = await fetch(GRAPHQL_PATH, {
        method: 'POST',
        credentials: 'omit',
        headers: { 'content-type': 'application/json', ...typedHeaders(opts?.headers), authorization: `Bearer ${credentials.token}` },
        body: JSON.stringify(params),
      });
      return response.json();
    },
    [credentials],
  );
  const headers = JSON.stringify(credentials.purpose ? { 'X-Purpose-Of-Use': credentials.purpose } : {}, null, 2);
  return (
    <section className="explorer">
      <h1>{t('explorer.title')}</h1>
      <p className="help">{t('explorer.intro', { subject: principal.subject, agency: principal.agency.name })}</p>
      <div className="explorer-frame" ref={frame}>
        <GraphiQL
          fetcher={fetcher}
          storage={storage}
          defaultQuery={DEFAULT_QUERY}
          defaultHeaders={headers}
          headers={headers}
          shouldPersistHeaders={false}
          showPersistHeadersSettings={false}
          defaultEditorToolsVisibility="headers"
          forcedTheme="light"
        />
      </div>
    </section>
  );
}
