/** Building blocks of the provider setup guides: console labels, values to paste, mapping tables, the test steps. */
import type { ReactNode } from 'react';

/** Where a guide is shown: the vendor's dashboard (has Users and Monitoring) or the customer's portal. */
export type GuideContext = 'dashboard' | 'portal';

export interface GuideProps {
  context: GuideContext;
  /** The vendor's product, to name the app in the IdP (the portal's theme); a neutral phrase otherwise. */
  productName?: string;
  /** The connection's provisioning URL, for guides that quote it in examples. */
  url?: string;
}

/** A label exactly as the IdP's console shows it. */
export const Ui = ({ children }: { children: ReactNode }) => <strong>{children}</strong>;

/** What to paste: the two values of the connection. */
export const PasteUrl = () => <em>Provisioning URL</em>;
export const PasteToken = () => <em>Token</em>;

/** An attribute mapping table: IdP attribute → SCIM attribute, with a note. */
export function Mappings({ idpLabel, rows }: { idpLabel: string; rows: [idp: string, scim: string, note?: string][] }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{idpLabel}</th>
            <th scope="col">SCIM attribute</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([idp, scim, note]) => (
            <tr key={`${idp}-${scim}`}>
              <td>
                <code>{idp}</code>
              </td>
              <td>
                <code>{scim}</code>
              </td>
              <td className="muted">{note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One titled part of a guide. */
export function GuideSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="guide-section">
      <h4>{title}</h4>
      {children}
    </section>
  );
}

/** The closing check, the same for every provider: one test user first, then everyone. */
export function TestSteps({ context, assign }: { context: GuideContext; assign: ReactNode }) {
  return (
    <GuideSection title="Test with one user">
      <ol className="steps">
        <li>{assign}</li>
        {context === 'dashboard' ? (
          <>
            <li>
              Open this account's <Ui>Users</Ui> tab: the test user appears within a minute, with its userName and email.
            </li>
            <li>
              Open <Ui>Monitoring</Ui> and filter on this connection: you should see the IdP's requests (typically a <code>GET /Users?filter=…</code>{' '}
              answered 200, then a <code>POST /Users</code> answered 201). A 401 means the token was pasted wrongly; a 409 means a user with the
              same userName already exists in this connection.
            </li>
          </>
        ) : (
          <li>
            Reload this page: the connection's <Ui>Last sync</Ui> shows when the identity provider last sent a change. If it stays empty, check the
            URL and the token in your identity provider and run its connection test again.
          </li>
        )}
        <li>When the test user arrived correctly, assign the rest of the people and groups who should have access.</li>
      </ol>
    </GuideSection>
  );
}
