/**
 * What a customer's admin sees in the self-service portal with this theme and setting: the header
 * (logo, product name) and the Provisioning tab, or the notice shown while provisioning is off.
 * Inert: it is a picture of the portal, not a second set of controls.
 */
import { themeVariables } from '../../../shared/theme.js';
import type { PortalTheme } from '../../../shared/types.js';
import { previewableLogo } from './types.js';

export function PortalPreview({ theme, scimProvisioning }: { theme: PortalTheme; scimProvisioning: boolean }) {
  const productName = theme.productName?.trim() || undefined;
  const logo = theme.logoUrl && previewableLogo(theme.logoUrl) ? theme.logoUrl : undefined;
  return (
    <figure className="portal-preview" aria-label="Portal preview">
      <figcaption>Preview: what your customer's admin sees</figcaption>
      <div className="preview-frame" style={themeVariables(theme)} data-testid="portal-preview" inert>
        <div className="preview-chrome" aria-hidden="true">
          <span />
          <span />
          <span />
        </div>
        <div className="preview-header" data-testid="preview-header">
          <div className="inline">
            {logo ? <img src={logo} alt="" referrerPolicy="no-referrer" /> : null}
            {productName ? <span className="preview-product">{productName}</span> : null}
          </div>
          <span className="muted">admin@customer.example</span>
        </div>
        <div className="preview-body">
          {scimProvisioning ? (
            <>
              <nav className="tabs" aria-label="Portal sections">
                <span className="tab active">Provisioning</span>
              </nav>
              <h3>Directory provisioning</h3>
              <div className="preview-toolbar">
                <strong>SCIM connections</strong>
                <span className="btn btn-primary" data-testid="preview-add-connection">
                  Add connection
                </span>
              </div>
              <table>
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Provider</th>
                    <th>Last sync</th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <td>Okta production</td>
                    <td>Okta</td>
                    <td>5 minutes ago</td>
                  </tr>
                </tbody>
              </table>
            </>
          ) : (
            <div className="state" data-testid="preview-unavailable">
              <h3>Provisioning is not available for your account</h3>
              <p>Contact {productName ?? 'your provider'} support to turn on user provisioning (SCIM) for your organization.</p>
            </div>
          )}
        </div>
      </div>
    </figure>
  );
}
