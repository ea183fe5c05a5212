/** OneLogin: the "SCIM Provisioner with SAML (SCIM v2 Enterprise)" connector. */
import { GuideSection, Mappings, PasteToken, PasteUrl, TestSteps, Ui, type GuideProps } from './parts.js';

/** A SCIM JSON template with what the SCIM server needs (userName, name, a work email) and the enterprise extension. */
const TEMPLATE = `{
  "schemas": [
    "urn:ietf:params:scim:schemas:core:2.0:User",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
  ],
  "userName": "{$parameters.scimusername}",
  "name": {
    "givenName": "{$user.firstname}",
    "familyName": "{$user.lastname}"
  },
  "emails": [
    { "value": "{$user.email}", "type": "work", "primary": true }
  ],
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
    "department": "{$parameters.department}"
  }
}`;

export function OneLoginGuide({ context }: GuideProps) {
  return (
    <>
      <GuideSection title="1. Add the SCIM connector">
        <ol className="steps">
          <li>
            In the OneLogin admin portal, go to <Ui>Applications → Applications → Add App</Ui>.
          </li>
          <li>
            Search for <Ui>SCIM Provisioner with SAML (SCIM v2 Enterprise)</Ui>, select it, give it a display name and click <Ui>Save</Ui>.
          </li>
        </ol>
      </GuideSection>
      <GuideSection title="2. Connect OneLogin to this connection">
        <ol className="steps">
          <li>
            On the app's <Ui>Configuration</Ui> tab, under <Ui>API Connection</Ui>: <Ui>SCIM Base URL</Ui> — paste the <PasteUrl />;{' '}
            <Ui>SCIM Bearer Token</Ui> — paste the <PasteToken />.
          </li>
          <li>
            <Ui>SCIM JSON Template</Ui>: keep OneLogin's default, or use this one (it sends userName, the name and a work email):
            <pre className="raw-json" tabIndex={0} aria-label="SCIM JSON template">
              {TEMPLATE}
            </pre>
          </li>
          <li>
            Next to <Ui>API Status</Ui>, click <Ui>Enable</Ui>: OneLogin calls the connection once; the status turns to <Ui>Enabled</Ui>. Click{' '}
            <Ui>Save</Ui>.
          </li>
          <li>
            On the <Ui>Provisioning</Ui> tab, check <Ui>Enable provisioning</Ui>, choose what happens when a user is deleted or suspended in OneLogin (
            <Ui>Delete</Ui> removes the user here; <Ui>Suspend</Ui> sends it as inactive), and click <Ui>Save</Ui>. Uncheck{' '}
            <Ui>Require admin approval</Ui> for the actions you want to run automatically.
          </li>
        </ol>
      </GuideSection>
      <GuideSection title="3. Check the parameters">
        <p>
          On the <Ui>Parameters</Ui> tab:
        </p>
        <Mappings
          idpLabel="OneLogin parameter"
          rows={[
            ['SCIM Username', 'userName', 'set it to Email (or Username); it must be unique'],
            ['First Name / Last Name', 'name.givenName / name.familyName'],
            ['Email', 'emails[type eq "work"].value'],
            ['Groups', 'Groups', 'check "Include in User Provisioning" to send groups'],
          ]}
        />
        <p className="hint">
          Groups come from OneLogin roles or groups through the app's <Ui>Rules</Ui> (for example "Set Groups in {'<app>'} from role").
        </p>
      </GuideSection>
      <TestSteps
        context={context}
        assign={
          <>
            In <Ui>Users</Ui>, open one test user, add the app on its <Ui>Applications</Ui> tab and save. If admin approval is on, approve the task
            under the app's <Ui>Provisioning</Ui> tab.
          </>
        }
      />
    </>
  );
}
