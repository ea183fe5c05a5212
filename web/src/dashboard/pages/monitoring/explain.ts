/**
 * Plain-language explanations of failed SCIM requests, with the fix a vendor's support engineer can
 * pass on to the customer's IdP admin. Pure: the same logged request always gets the same words.
 */

/** What the request log keeps of a request. */
export interface LoggedFailure {
  status: number;
  scimType?: string | null;
  detail?: string | null;
  method?: string;
  path?: string;
}

export interface Explanation {
  title: string;
  explanation: string;
  fix: string;
}

/** `Users` or `Groups` from a logged path such as `/Users/2819c223…`, if it names one. */
function resourceOf(path: string | undefined): 'user' | 'group' | undefined {
  if (!path) return undefined;
  if (/^\/Users(\/|$|\?)/i.test(path)) return 'user';
  if (/^\/Groups(\/|$|\?)/i.test(path)) return 'group';
  return undefined;
}

/** The attribute a uniqueness error is about, read from its detail. */
function uniqueAttribute(detail: string, resource: 'user' | 'group' | undefined): string {
  const named = /\b(userName|externalId|displayName)\b/i.exec(detail)?.[1];
  if (named) return named.toLowerCase() === 'username' ? 'userName' : named.toLowerCase() === 'externalid' ? 'externalId' : 'displayName';
  return resource === 'group' ? 'displayName' : 'userName';
}

function unauthorized(detail: string): Explanation {
  const missing = /required|missing/i.test(detail) && !/not valid|invalid|expired/i.test(detail);
  return {
    title: missing ? 'No provisioning token was sent' : 'The provisioning token was refused',
    explanation: missing
      ? 'The identity provider called the provisioning URL without an Authorization: Bearer token, so Rollcall could not tell which connection it was.'
      : 'The bearer token the identity provider sent is wrong, was revoked or rotated, has expired, or belongs to another connection. Every request is refused until the token is fixed.',
    fix: 'Copy the provisioning token again — or rotate it on the account’s Provisioning page to get a new one, since a token is shown only once — and paste it into the identity provider’s SCIM settings (the “API token”, “Secret token” or “Bearer token” field). Check that the provisioning URL there ends with this connection’s ID.',
  };
}

function forbidden(detail: string): Explanation {
  if (/allow ?list|ip address|from its ip/i.test(detail) || detail === '')
    return {
      title: 'Blocked by the connection’s IP allowlist',
      explanation: 'This connection accepts requests only from the IP addresses on its allowlist, and the request came from an address that is not on it.',
      fix: 'Add the identity provider’s outbound IP addresses (its documentation lists them) to the connection’s IP allowlist on the Provisioning page, or remove the allowlist. Behind a proxy, make sure Rollcall sees the client’s real address (trusted proxy settings).',
    };
  return {
    title: 'The request was not allowed',
    explanation: 'Rollcall understood the request but refused to carry it out for this caller.',
    fix: 'Read the SCIM error detail for the reason; if the connection’s token or allowlist changed recently, update the identity provider’s settings to match.',
  };
}

function conflict(failure: LoggedFailure, detail: string): Explanation {
  const resource = resourceOf(failure.path);
  if (failure.scimType === 'uniqueness' || /already (in use|exists)/i.test(detail)) {
    const attribute = uniqueAttribute(detail, resource);
    const noun = resource === 'group' || attribute === 'displayName' ? 'group' : 'user';
    return {
      title: `A ${noun} with this ${attribute} already exists in this connection`,
      explanation: `The identity provider tried to create a ${noun} whose ${attribute} is already taken in this connection. This usually means it lost track of a ${noun} it created earlier (the app was unassigned and reassigned, its provisioning state was reset, or the ${noun} was renamed) and is creating it again instead of updating the existing one.`,
      fix:
        noun === 'user'
          ? 'Have the identity provider match existing users on userName (import or re-link them, e.g. Okta “Import users” or Entra’s matching attribute set to userName) so it updates the user instead of creating it; or delete the stale user in the identity provider’s app so it can be created cleanly on the next push.'
          : 'Have the identity provider link the existing group (push it by name or re-import groups) instead of creating a new one; or rename or delete the stale group so the next push creates it cleanly.',
    };
  }
  if (/bulkId/i.test(detail))
    return {
      title: 'A bulk operation referenced another that failed',
      explanation: 'An operation of the bulk request pointed (with bulkId) at an operation that was unknown, failed, or formed a circular reference.',
      fix: 'Look at the other failed operations of the same bulk request; fixing the first failure usually fixes this one. Re-push the affected users or groups.',
    };
  return {
    title: 'Conflicting change',
    explanation: 'Another request changed the same user or group at the same moment, so this one was refused to avoid overwriting it.',
    fix: 'Nothing to fix: the identity provider retries, and the retry normally succeeds. If it keeps happening, two systems may be updating the same resource.',
  };
}

function badRequest(failure: LoggedFailure, detail: string): Explanation {
  const type = failure.scimType ?? '';
  const patch = (failure.method ?? '').toUpperCase() === 'PATCH';
  if (type === 'invalidFilter')
    return {
      title: 'The identity provider sent a filter Rollcall could not use',
      explanation: 'A list request had a filter that is not valid SCIM filter syntax, or compares an attribute with a value of the wrong type (for example active gt "yes").',
      fix: 'Check the filter in the request’s query. Identity providers normally look users up with userName eq "…" or externalId eq "…"; a custom matching attribute with a wrong name or type in the identity provider’s settings is the usual cause.',
    };
  if (type === 'noTarget' || type === 'invalidPath' || (patch && /\bpath\b/i.test(detail)))
    return {
      title: type === 'noTarget' ? 'The PATCH targets a value that is not there' : 'The PATCH path is not valid',
      explanation:
        type === 'noTarget'
          ? 'The PATCH operation’s path selects nothing on the resource — for example removing a member who is not in the group, or replacing emails[type eq "work"] when there is no work email.'
          : 'The PATCH operation’s path is malformed or names an attribute that is not part of the schema.',
      fix: 'Check the attribute mappings the identity provider uses for updates; a custom mapping to an unknown attribute is the usual cause. If the identity provider’s view of the resource is stale, re-push the user or group so it reads the current state.',
    };
  if (type === 'mutability')
    return {
      title: 'The request tried to change a read-only attribute',
      explanation: 'An attribute that cannot be changed (such as id or meta, or an immutable attribute) was sent with a new value.',
      fix: 'Remove the mapping of that attribute from the identity provider’s SCIM settings, or stop it from sending the attribute on updates.',
    };
  if (type === 'tooMany')
    return {
      title: 'Too many results',
      explanation: 'The filter matched more resources than Rollcall returns for one request.',
      fix: 'The identity provider should use a narrower filter or page through the results with startIndex and count.',
    };
  if (type === 'invalidValue' || type === 'invalidSyntax' || /unknown attribute|not an attribute|schema/i.test(detail))
    return {
      title: 'The request does not match the SCIM schema',
      explanation: 'A value has the wrong type or format, a required attribute such as userName is missing or empty, the body is not valid SCIM JSON, or an attribute is unknown to the User or Group schema.',
      fix: 'Check the attribute mappings in the identity provider: look for a mapping that sends a list where one value is expected (or the reverse), text for a true/false attribute, an empty userName, or an attribute under the wrong schema (enterprise attributes belong to urn:ietf:params:scim:schemas:extension:enterprise:2.0:User).',
    };
  return {
    title: 'The request was malformed',
    explanation: 'Rollcall could not process the request as sent.',
    fix: 'Read the SCIM error detail and the request body below; it usually names the attribute or parameter to correct in the identity provider’s settings.',
  };
}

function notFound(failure: LoggedFailure): Explanation {
  const resource = resourceOf(failure.path);
  if (!resource && failure.path && !/^\/(Schemas|ResourceTypes|ServiceProviderConfig|Bulk|\.search)/i.test(failure.path))
    return {
      title: 'The endpoint does not exist',
      explanation: 'The identity provider called a path that is not a SCIM endpoint of this connection.',
      fix: 'Check the provisioning URL in the identity provider: it must be exactly the URL shown on the account’s Provisioning page, without extra path segments.',
    };
  const noun = resource ?? 'user or group';
  return {
    title: `The ${noun} no longer exists here`,
    explanation: `The identity provider referred to a ${noun} by an ID Rollcall does not have — it was deleted here (for example when its connection was deleted or recreated), or it belongs to another connection.`,
    fix: `Re-push the ${noun} from the identity provider so it is created again, or clear the identity provider’s cached link to it (unassign and reassign it, or restart provisioning) so it stops using the old ID.`,
  };
}

/** Explains one logged request; a request with status < 400 just succeeded. */
export function explainFailure(failure: LoggedFailure): Explanation {
  const detail = failure.detail ?? '';
  const status = failure.status;
  if (status < 400) return { title: 'Succeeded', explanation: 'The request was carried out.', fix: 'Nothing to do.' };
  switch (status) {
    case 400:
      return badRequest(failure, detail);
    case 401:
      return unauthorized(detail);
    case 403:
      return forbidden(detail);
    case 404:
      return notFound(failure);
    case 409:
      return conflict(failure, detail);
    case 412:
      return {
        title: 'The resource changed since the identity provider last read it (ETag mismatch)',
        explanation: 'The request carried If-Match with an older version of the resource, so Rollcall refused to overwrite the newer one.',
        fix: 'The identity provider should read the resource again (GET) and retry with the current ETag; this usually clears up on the next sync. If it happens often, another system is updating the same user or group.',
      };
    case 413:
      return {
        title: 'The request is too large',
        explanation: 'The body, or the number of operations in a bulk request, is over Rollcall’s limits (ServiceProviderConfig lists them).',
        fix: 'Lower the identity provider’s batch or bulk size, and send large group membership changes as several smaller PATCH requests.',
      };
    case 429:
      return {
        title: 'Rate limited',
        explanation: 'The connection sent more requests than Rollcall accepts in a short time, so some were refused with a Retry-After delay.',
        fix: 'Usually nothing to do: identity providers back off and retry. If it persists, lower the identity provider’s provisioning concurrency or raise the SCIM rate limit of this Rollcall deployment.',
      };
    default:
      break;
  }
  if (status >= 500)
    return {
      title: status === 501 ? 'Not supported by Rollcall' : 'Rollcall failed to handle the request',
      explanation:
        status === 501 ? 'The identity provider asked for a SCIM feature this server does not implement.' : 'Something went wrong on the server side; the identity provider’s request itself may be fine.',
      fix:
        status === 501
          ? 'Turn the feature off in the identity provider’s SCIM settings.'
          : 'It is usually temporary and the identity provider retries. If it keeps happening, check Rollcall’s server logs and database health around this time.',
    };
  if (status === 415)
    return {
      title: 'Unsupported content type',
      explanation: 'The body was not sent as application/scim+json or application/json.',
      fix: 'Set the identity provider’s request content type to application/scim+json.',
    };
  return {
    title: `The request was refused (HTTP ${status})`,
    explanation: 'Rollcall did not accept this request.',
    fix: 'Read the SCIM error detail below for the reason.',
  };
}
