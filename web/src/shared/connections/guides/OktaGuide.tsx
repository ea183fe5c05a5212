/** Okta: a SAML/SWA app integration with SCIM provisioning (Applications → Provisioning tab). */
import { GuideSection, Mappings, PasteToken, PasteUrl, TestSteps, Ui, type GuideProps } from './parts.js';

export function OktaGuide({ context, productName }: GuideProps) {
  return (
    <>
      <GuideSection title="1. Create the app integration">
        <ol className="steps">
          <li>
            In the Okta Admin Console, go to <Ui>Applications → Applications</Ui>. If you already have an app for {productName ?? 'this product'} (for
            single sign-on), open it and skip to step 3.
          </li>
          <li>
            Otherwise click <Ui>Create App Integration</Ui>, choose <Ui>SAML 2.0</Ui> (or <Ui>SWA</Ui>) and finish the wizard. Okta cannot add SCIM
            provisioning to an OIDC app integration.
          </li>
          <li>
            On the app's <Ui>General</Ui> tab, click <Ui>Edit</Ui> in <Ui>App Settings</Ui>, set <Ui>Provisioning</Ui> to <Ui>SCIM</Ui> and click{' '}
            <Ui>Save</Ui>. A <Ui>Provisioning</Ui> tab appears.
          </li>
        </ol>
      </GuideSection>
      <GuideSection title="2. Connect Okta to this connection">
        <ol className="steps">
          <li>
            Open <Ui>Provisioning → Integration</Ui> and click <Ui>Edit</Ui>.
          </li>
          <li>
            <Ui>SCIM connector base URL</Ui>: paste the <PasteUrl />.
          </li>
          <li>
            <Ui>Unique identifier field for users</Ui>: <code>userName</code>.
          </li>
          <li>
            <Ui>Supported provisioning actions</Ui>: check <Ui>Push New Users</Ui>, <Ui>Push Profile Updates</Ui> and <Ui>Push Groups</Ui> (
            <Ui>Import New Users and Profile Updates</Ui> works too, but is not needed).
          </li>
          <li>
            <Ui>Authentication Mode</Ui>: <Ui>HTTP Header</Ui>, then paste the <PasteToken /> into <Ui>Authorization → Bearer</Ui>.
          </li>
          <li>
            Click <Ui>Test Connector Configuration</Ui> (it should find Create, Update and Push Groups), close it, then <Ui>Save</Ui>.
          </li>
          <li>
            Open <Ui>Provisioning → To App</Ui>, click <Ui>Edit</Ui>, enable <Ui>Create Users</Ui>, <Ui>Update User Attributes</Ui> and{' '}
            <Ui>Deactivate Users</Ui>, and <Ui>Save</Ui>.
          </li>
        </ol>
      </GuideSection>
      <GuideSection title="3. Check the attribute mappings">
        <p>
          Under <Ui>Provisioning → To App → Attribute Mappings</Ui>, the defaults should read:
        </p>
        <Mappings
          idpLabel="Okta attribute"
          rows={[
            ['user.login', 'userName', 'must be unique in the connection; usually the email'],
            ['user.firstName', 'name.givenName'],
            ['user.lastName', 'name.familyName'],
            ['user.email', 'emails[type eq "work"].value', 'the address people are reached at'],
          ]}
        />
        <p className="hint">
          To send groups, open <Ui>Push Groups → + Push Groups → Find groups by name</Ui>, pick the group and <Ui>Save</Ui>. Okta pushes a group's
          membership only for people assigned to the app; avoid pushing the same group you use for the app's assignments.
        </p>
      </GuideSection>
      <TestSteps
        context={context}
        assign={
          <>
            On the <Ui>Assignments</Ui> tab, click <Ui>Assign → Assign to People</Ui>, assign one test user, click <Ui>Save and Go Back</Ui>, then{' '}
            <Ui>Done</Ui>.
          </>
        }
      />
    </>
  );
}
