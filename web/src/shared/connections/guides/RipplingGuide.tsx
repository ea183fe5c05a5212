/** Rippling: a custom app with user management via SCIM. */
import { GuideSection, Mappings, PasteToken, PasteUrl, TestSteps, Ui, type GuideProps } from './parts.js';

export function RipplingGuide({ context }: GuideProps) {
  return (
    <>
      <GuideSection title="1. Create a custom SCIM app">
        <ol className="steps">
          <li>
            In Rippling, open the <Ui>Custom App</Ui> page (in the app shop, under identity management) and click <Ui>Create New App</Ui>.
          </li>
          <li>
            Enter the app's name and category, and check <Ui>User Management via SCIM</Ui> (SCIM provisioning). Continue.
          </li>
        </ol>
      </GuideSection>
      <GuideSection title="2. Connect Rippling to this connection">
        <ol className="steps">
          <li>
            <Ui>SCIM version</Ui>: <Ui>2.0</Ui>. <Ui>SCIM Base URL</Ui>: paste the <PasteUrl />.
          </li>
          <li>
            <Ui>SCIM Authorization Method</Ui>: <Ui>Bearer Token</Ui>.
          </li>
          <li>
            Check the group features: <Ui>Supports Groups</Ui>, <Ui>Supports Pagination</Ui>, <Ui>Create &amp; Delete Groups</Ui> and{' '}
            <Ui>Use PATCH to edit Groups</Ui>.
          </li>
          <li>
            In <Ui>Supported SCIM Attributes</Ui>, add <code>externalId</code>, <code>emails</code>, <code>name.givenName</code> and{' '}
            <code>name.familyName</code>. Continue.
          </li>
          <li>
            Install the app. When Rippling asks for the bearer token, paste the <PasteToken />, then run Rippling's connection test.
          </li>
        </ol>
      </GuideSection>
      <GuideSection title="3. Check the attribute mappings">
        <Mappings
          idpLabel="Rippling field"
          rows={[
            ['Work email', 'userName', 'unique in the connection'],
            ['Work email', 'emails[type eq "work"].value'],
            ['Legal / preferred first and last name', 'name.givenName / name.familyName'],
            ['Employee id (Rippling user id)', 'externalId', 'stable when people change names or emails'],
          ]}
        />
        <p className="hint">Set the sync cadence of the attributes to "on user creation and updates" so profile changes are pushed too.</p>
      </GuideSection>
      <TestSteps
        context={context}
        assign={
          <>
            In the app's <Ui>access rules</Ui>, give access to one test person first (Rippling provisions the people those rules select), and choose
            when they are provisioned.
          </>
        }
      />
    </>
  );
}
