/** Any SCIM 2.0 client (RFC 7644): the endpoints, the header and a first request. */
import { GuideSection, Mappings, TestSteps, Ui, type GuideProps } from './parts.js';

export function CustomGuide({ context, url }: GuideProps) {
  const base = url ?? '<Provisioning URL>';
  const example = `curl -X POST '${base}/Users' \\
  -H 'Authorization: Bearer <Token>' \\
  -H 'Content-Type: application/scim+json' \\
  -d '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
       "userName":"ada@example.com","externalId":"00u1",
       "name":{"givenName":"Ada","familyName":"Lovelace"},
       "emails":[{"value":"ada@example.com","type":"work","primary":true}]}'`;
  return (
    <>
      <GuideSection title="1. Configure your SCIM client">
        <ol className="steps">
          <li>
            <Ui>Base URL</Ui>: the <em>Provisioning URL</em>. Resource paths are relative to it.
          </li>
          <li>
            <Ui>Authentication</Ui>: send <code>Authorization: Bearer &lt;Token&gt;</code> with every request (OAuth bearer token, RFC 6750). Any
            other token, or none, is answered 401.
          </li>
          <li>
            <Ui>Content type</Ui>: <code>application/scim+json</code> (plain <code>application/json</code> is accepted too).
          </li>
        </ol>
      </GuideSection>
      <GuideSection title="2. Endpoints">
        <ul className="steps">
          <li>
            <code>/Users</code> and <code>/Groups</code>: GET (with <code>filter</code>, <code>startIndex</code>, <code>count</code>), POST, and per
            resource GET, PUT, PATCH and DELETE.
          </li>
          <li>
            <code>/ServiceProviderConfig</code>, <code>/ResourceTypes</code>, <code>/Schemas</code>: what the server supports; <code>/Bulk</code>{' '}
            and <code>/.search</code> are available too.
          </li>
          <li>
            Before creating a user, look it up: <code>GET /Users?filter=userName eq "ada@example.com"</code>. A second user with the same userName is
            refused with 409 (<code>scimType: uniqueness</code>).
          </li>
          <li>
            Deprovision with <code>PATCH</code> <code>active: false</code> (the user stays, inactive) or <code>DELETE</code>. Group members are the{' '}
            <code>id</code> values returned when the users were created.
          </li>
        </ul>
      </GuideSection>
      <GuideSection title="3. Attributes to send">
        <Mappings
          idpLabel="Your directory"
          rows={[
            ['login / email', 'userName', 'required; unique in the connection'],
            ['your user id', 'externalId', 'stable across renames; lets you find the user again'],
            ['first / last name', 'name.givenName / name.familyName'],
            ['email', 'emails[type eq "work"].value'],
            ['enabled', 'active'],
          ]}
        />
        <p>A first request to try:</p>
        <pre className="raw-json" tabIndex={0} aria-label="Example request">
          {example}
        </pre>
      </GuideSection>
      <TestSteps context={context} assign={<>Create one test user with the request above (or from your client), then check the answer is 201.</>} />
    </>
  );
}
