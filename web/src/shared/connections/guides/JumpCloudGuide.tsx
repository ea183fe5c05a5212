/** JumpCloud: a custom application with Identity Management (SCIM 2.0) export. */
import { GuideSection, Mappings, PasteToken, PasteUrl, TestSteps, Ui, type GuideProps } from './parts.js';

export function JumpCloudGuide({ context, productName }: GuideProps) {
  return (
    <>
      <GuideSection title="1. Create the custom application">
        <ol className="steps">
          <li>
            In the JumpCloud Admin Portal, go to <Ui>SSO Applications</Ui>. If you already have an application for {productName ?? 'this product'},
            open it and skip to step 2.
          </li>
          <li>
            Otherwise click <Ui>+ Add New Application → Custom Application</Ui>, select <Ui>Export users to this app (Identity Management)</Ui>{' '}
            (plus single sign-on if you use it), name the application and click <Ui>Save Application</Ui>, then <Ui>Configure Application</Ui>.
          </li>
        </ol>
      </GuideSection>
      <GuideSection title="2. Connect JumpCloud to this connection">
        <ol className="steps">
          <li>
            Open the application's <Ui>Identity Management</Ui> tab and choose <Ui>SCIM 2.0</Ui> as the <Ui>SCIM Version</Ui>.
          </li>
          <li>
            <Ui>Base URL</Ui>: paste the <PasteUrl />. <Ui>Token Key</Ui>: paste the <PasteToken />.
          </li>
          <li>
            <Ui>Test User Email</Ui>: the email of an existing JumpCloud user, used only for the connection test.
          </li>
          <li>
            To send groups, turn on <Ui>Group Management</Ui> (management of user groups and group membership in this application).
          </li>
          <li>
            Click <Ui>Test Connection</Ui>, then <Ui>Activate</Ui>, then <Ui>Save</Ui>.
          </li>
        </ol>
      </GuideSection>
      <GuideSection title="3. Check the attribute mappings">
        <p>JumpCloud sends these by default; check any custom mapping you add under the Identity Management tab:</p>
        <Mappings
          idpLabel="JumpCloud attribute"
          rows={[
            ['email', 'userName', 'unique in the connection'],
            ['firstname / lastname', 'name.givenName / name.familyName'],
            ['email', 'emails[type eq "work"].value'],
            ['user id', 'externalId', "JumpCloud's stable id for the user"],
          ]}
        />
      </GuideSection>
      <TestSteps
        context={context}
        assign={
          <>
            JumpCloud provisions the members of the user groups bound to the application: create a user group with one test user, then on the
            application's <Ui>User Groups</Ui> tab, check that group and click <Ui>Save</Ui>.
          </>
        }
      />
    </>
  );
}
