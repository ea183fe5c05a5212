/** Microsoft Entra ID (formerly Azure AD): a non-gallery enterprise application with automatic provisioning. */
import { GuideSection, Mappings, PasteToken, PasteUrl, TestSteps, Ui, type GuideProps } from './parts.js';

export function EntraGuide({ context, productName }: GuideProps) {
  return (
    <>
      <GuideSection title="1. Create the enterprise application">
        <ol className="steps">
          <li>
            In the Microsoft Entra admin center, go to <Ui>Identity → Applications → Enterprise applications</Ui>. If you already have an application
            for {productName ?? 'this product'} (for single sign-on), open it and skip to step 2.
          </li>
          <li>
            Otherwise click <Ui>New application → Create your own application</Ui>, choose{' '}
            <Ui>Integrate any other application you don't find in the gallery (Non-gallery)</Ui>, give it a name and click <Ui>Create</Ui>.
          </li>
        </ol>
      </GuideSection>
      <GuideSection title="2. Turn on automatic provisioning">
        <ol className="steps">
          <li>
            In the application, open <Ui>Provisioning</Ui> (click <Ui>Get started</Ui> or <Ui>Connect your application</Ui> if asked) and set{' '}
            <Ui>Provisioning Mode</Ui> to <Ui>Automatic</Ui>.
          </li>
          <li>
            Under <Ui>Admin Credentials</Ui>: <Ui>Tenant URL</Ui> — paste the <PasteUrl /> as it is (no <code>/Users</code> at the end);{' '}
            <Ui>Secret Token</Ui> — paste the <PasteToken />.
          </li>
          <li>
            Click <Ui>Test Connection</Ui>. Entra reports that the supplied credentials are authorized; then click <Ui>Save</Ui> (or{' '}
            <Ui>Create</Ui>).
          </li>
          <li>
            Under <Ui>Settings</Ui>, keep <Ui>Scope</Ui> on <Ui>Sync only assigned users and groups</Ui>.
          </li>
        </ol>
      </GuideSection>
      <GuideSection title="3. Check the attribute mappings">
        <p>
          Open <Ui>Mappings → Provision Microsoft Entra ID Users</Ui> and check these rows (edit a row to change its source attribute):
        </p>
        <Mappings
          idpLabel="Entra attribute"
          rows={[
            ['userPrincipalName', 'userName', 'unique; what people sign in with'],
            ['mail', 'emails[type eq "work"].value'],
            ['objectId', 'externalId', 'the default is mailNickname: objectId never changes when someone is renamed'],
            ['givenName', 'name.givenName'],
            ['surname', 'name.familyName'],
            ['Switch([IsSoftDeleted], …)', 'active', 'keep the default: a disabled user is sent as active=false'],
          ]}
        />
        <p className="hint">
          Under <Ui>Provision Microsoft Entra ID Groups</Ui>, keep <code>displayName → displayName</code>, <code>objectId → externalId</code> and{' '}
          <code>members → members</code>, with <Ui>Enabled</Ui> set to <Ui>Yes</Ui> if groups should be sent.
        </p>
      </GuideSection>
      <TestSteps
        context={context}
        assign={
          <>
            In the application's <Ui>Users and groups</Ui>, click <Ui>Add user/group</Ui> and assign one test user. Then, under{' '}
            <Ui>Provisioning</Ui>, use <Ui>Provision on demand</Ui> for that user (the regular cycle runs about every 40 minutes), and set{' '}
            <Ui>Provisioning Status</Ui> to <Ui>On</Ui> (or <Ui>Start provisioning</Ui>).
          </>
        }
      />
    </>
  );
}
