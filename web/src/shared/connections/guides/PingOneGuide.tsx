/** PingOne: a SCIM Outbound provisioning connection and a provisioning rule. */
import { GuideSection, Mappings, PasteToken, PasteUrl, TestSteps, Ui, type GuideProps } from './parts.js';

export function PingOneGuide({ context }: GuideProps) {
  return (
    <>
      <GuideSection title="1. Create the SCIM Outbound connection">
        <ol className="steps">
          <li>
            In the PingOne admin console, go to <Ui>Integrations → Provisioning</Ui>, click <Ui>+</Ui> then <Ui>New connection</Ui>.
          </li>
          <li>
            On the <Ui>Identity Store</Ui> row click <Ui>Select</Ui>, choose <Ui>SCIM Outbound</Ui>, then name the connection.
          </li>
          <li>
            On <Ui>Configure authentication</Ui>: <Ui>SCIM Base URL</Ui> — paste the <PasteUrl />; <Ui>Users Resource</Ui> —{' '}
            <code>/Users</code>; <Ui>Groups Resource</Ui> — <code>/Groups</code>; <Ui>SCIM Version</Ui> — <Ui>2.0</Ui>.
          </li>
          <li>
            <Ui>Authentication Method</Ui>: <Ui>OAuth 2 Bearer Token</Ui>; <Ui>OAuth Access Token</Ui> — paste the <PasteToken />;{' '}
            <Ui>Auth Type Header</Ui> — <Ui>Bearer</Ui>.
          </li>
          <li>
            Click <Ui>Test Connection</Ui>, then continue. In the preferences, allow users to be created, updated and deprovisioned, and turn on group
            provisioning if groups should be sent. Keep the user filter expression on <code>userName</code>. Save and enable the connection.
          </li>
        </ol>
      </GuideSection>
      <GuideSection title="2. Create a provisioning rule">
        <ol className="steps">
          <li>
            Under <Ui>Integrations → Provisioning</Ui>, open <Ui>Rules</Ui>, click <Ui>+</Ui>, name the rule and select the connection you just created.
          </li>
          <li>
            <Ui>User Filter</Ui>: who is provisioned (a population, a group or an attribute condition).
          </li>
          <li>Check the attribute mapping below, save the rule and enable it.</li>
        </ol>
        <Mappings
          idpLabel="PingOne attribute"
          rows={[
            ['Username', 'userName', 'unique in the connection; the filter expression uses it'],
            ['Email Address', 'emails[type eq "work"].value'],
            ['Given Name / Family Name', 'name.givenName / name.familyName'],
            ['User ID', 'externalId', "PingOne's stable id for the user"],
          ]}
        />
      </GuideSection>
      <TestSteps context={context} assign={<>Start with a user filter that matches one test user, and check the rule's sync status.</>} />
    </>
  );
}
