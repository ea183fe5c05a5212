/** The URN of the SCIM extension that carries the custom attributes, and why identity providers need it. */
import { TextField } from '../../../shared/ui/Field.js';
import { Card } from '../../../shared/ui/Layout.js';

export function CustomSchemaCard({ value, error, onChange }: { value: string; error: string | undefined; onChange: (value: string) => void }) {
  return (
    <Card title="SCIM extension for custom attributes">
      <TextField
        label="Extension URN"
        className="mono"
        value={value}
        maxLength={200}
        spellCheck={false}
        autoComplete="off"
        error={error}
        hint={
          <>
            Rollcall lists this extension, with your custom attributes, in its SCIM <code>/Schemas</code> and <code>/ResourceTypes</code>. Okta&apos;s and
            Microsoft Entra ID&apos;s attribute editors read it from there, so your customers&apos; admins can pick your attributes as targets. Change it before
            customers map attributes: their providers send values under the URN they read.
          </>
        }
        onChange={(e) => onChange(e.target.value)}
      />
    </Card>
  );
}
