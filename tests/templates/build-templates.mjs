// The single source of our element templates: element-templates/*.json are written from here.
//
//   node tests/templates/build-templates.mjs          write element-templates/*.json
//   node tests/templates/build-templates.mjs --check  exit 1 if a file differs from this source
//
// The task-specific templates and the Camunda-compatible one share their property definitions;
// the compatible template adds `actionDiscriminator` conditions and leaves out what only our
// task types take (s3:// URIs, key templates, many keys): it stays what Camunda defines. Property order
// is the order of Zeebe's input mappings: the document helpers come before the hidden
// `action.document` composer, which reads them by their full `action.…` path (a later mapping
// sees an earlier one only by its full path; Camunda's templates v3–v6 read bare names and
// always produce null).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const TEMPLATE_DIR = new URL('../../element-templates/', import.meta.url);

const SCHEMA = 'https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json';
const DOCS = 'https://github.com/zeebe-s3-connector/zeebe-s3-connector#readme';
// Camunda documents (upload from a reference, download as a document) need 8.7+.
const ENGINES = { camunda: '^8.7' };

// A bucket, drawn for these templates.
const ICON_SVG = [
  '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">',
  '<path d="M3 6l2.2 14.2c.3 1.8 13.3 1.8 13.6 0L21 6z" fill="#e25444"/>',
  '<ellipse cx="12" cy="6" rx="9" ry="3" fill="#8c3123"/>',
  '<ellipse cx="12" cy="6" rx="7" ry="1.8" fill="#f58534"/>',
  '<path d="M4.3 11.6c2.8 1.7 12.6 1.7 15.4 0" stroke="#fff" stroke-width="1.2" fill="none" opacity=".85"/>',
  '</svg>'
].join('');
const ICON = { contents: 'data:image/svg+xml;base64,' + Buffer.from(ICON_SVG).toString('base64') };

const ACTIONS = ['uploadObject', 'downloadObject', 'deleteObject'];

// ---------------------------------------------------------------------------------------------
// Conditions

const eq = (property, equals) => ({ property, equals, type: 'simple' });
const anyOf = (property, values) => ({ property, oneOf: values, type: 'simple' });

function combine(parts) {
  const flat = parts.filter(Boolean).flatMap((part) => part.allMatch || [part]);
  if (flat.length === 0) return undefined;
  return flat.length === 1 ? flat[0] : { allMatch: flat };
}

// ---------------------------------------------------------------------------------------------
// Property builders. `input` binds a zeebe:input; every property object is emitted with its
// keys in one order so that the JSON files stay stable and readable.

const KEY_ORDER = [
  'id', 'label', 'description', 'type', 'value', 'placeholder', 'optional', 'feel', 'secret',
  'constraints', 'group', 'binding', 'condition', 'choices', 'tooltip'
];

function ordered(property) {
  const out = {};
  for (const key of KEY_ORDER) {
    if (property[key] !== undefined) out[key] = property[key];
  }
  for (const key of Object.keys(property)) {
    if (!(key in out) && property[key] !== undefined) throw new Error(`unexpected key ${key} in ${property.id}`);
  }
  return out;
}

const input = (name, spec) => ({ id: name, ...spec, binding: { type: 'zeebe:input', name } });
const header = (key, spec) => ({ id: key, ...spec, binding: { type: 'zeebe:taskHeader', key } });
const required = { constraints: { notEmpty: true } };
const optional = { optional: true };

// ---------------------------------------------------------------------------------------------
// Groups

const GROUPS = [
  { id: 'operation', label: 'Operation' },
  { id: 'authentication', label: 'Authentication' },
  { id: 'configuration', label: 'Region and endpoint' },
  { id: 'object', label: 'Object' },
  { id: 'source', label: 'Source' },
  { id: 'target', label: 'Target' },
  { id: 'listing', label: 'Listing' },
  { id: 'document', label: 'Document' },
  { id: 'copyOptions', label: 'Copy options' },
  { id: 'link', label: 'Link' },
  { id: 'uploadOptions', label: 'Upload options' },
  { id: 'response', label: 'Response format' },
  { id: 'output', label: 'Output mapping' },
  { id: 'error', label: 'Error handling' },
  { id: 'retries', label: 'Retries' }
];

// ---------------------------------------------------------------------------------------------
// Authentication and endpoint (every action)

const ENTERED = eq('credentialSource', 'task');
const AUTH = (type) => combine([ENTERED, eq('authentication.type', type)]);
const DEFAULT_CHAIN_NOTE =
  "The worker's operator must allow this with S3_CONNECTOR_ALLOW_DEFAULT_CREDENTIALS=true; " +
  'otherwise the job stops with an incident.';

function authentication() {
  return [
    {
      id: 'credentialSource',
      label: 'Credentials',
      type: 'Dropdown',
      value: 'task',
      group: 'authentication',
      // Modelling aid only: a zeebe:property is stored on the task, never sent to the job.
      binding: { type: 'zeebe:property', name: 'credentialSource' },
      choices: [
        { name: 'Enter in this task', value: 'task' },
        { name: 'Saved AWS credential (awsCredential)', value: 'saved' }
      ],
      tooltip:
        'Enter the credentials here, or refer to a saved AWS credential: a context variable ' +
        'holding {authentication, region}, such as a Camunda 8.10 cluster variable.'
    },
    input('awsCredential', {
      label: 'AWS credential',
      type: 'String',
      feel: 'required',
      ...required,
      group: 'authentication',
      condition: eq('credentialSource', 'saved'),
      tooltip:
        'A context {authentication: {type, accessKey, secretKey, …}, region}, for example the ' +
        'cluster variable =camunda.vars.env.AWS_PROD (Camunda 8.10+) or a process variable. Values ' +
        'may use {{secrets.NAME}}. It takes precedence over the authentication fields and the ' +
        "region of this task; the custom endpoint below still applies."
    }),
    input('authentication.type', {
      label: 'Authentication',
      type: 'Dropdown',
      value: 'credentials',
      group: 'authentication',
      condition: ENTERED,
      choices: [
        { name: 'Access key and secret key', value: 'credentials' },
        { name: 'Assume an IAM role', value: 'assumeRole' },
        { name: "Worker's own AWS identity (default credentials chain)", value: 'defaultCredentialsChain' },
        { name: 'Anonymous (public buckets)', value: 'anonymous' }
      ],
      tooltip:
        'How the worker signs its S3 requests. "Worker\'s own AWS identity" uses the environment, ' +
        'profile, web identity (IRSA) or instance role of the worker process. ' + DEFAULT_CHAIN_NOTE +
        ' "Anonymous" sends unsigned requests and only works for public buckets.'
    }),
    input('authentication.accessKey', {
      label: 'Access key',
      type: 'String',
      feel: 'optional',
      secret: true,
      ...required,
      group: 'authentication',
      condition: AUTH('credentials'),
      tooltip:
        'IAM access key ID. Enter a secret reference such as {{secrets.AWS_ACCESS_KEY}}, not the key ' +
        'itself: the worker resolves it and never logs it.'
    }),
    input('authentication.secretKey', {
      label: 'Secret key',
      type: 'String',
      feel: 'optional',
      secret: true,
      ...required,
      group: 'authentication',
      condition: AUTH('credentials'),
      tooltip: 'IAM secret access key, as a secret reference such as {{secrets.AWS_SECRET_KEY}}.'
    }),
    {
      ...input('authentication.accessKey', {
        label: 'Access key (optional)',
        type: 'String',
        feel: 'optional',
        secret: true,
        ...optional,
        group: 'authentication',
        condition: AUTH('assumeRole'),
        tooltip:
          'Keys of the identity that assumes the role, as {{secrets.NAME}} references. Leave both ' +
          "keys empty to assume the role with the worker's own AWS identity. " + DEFAULT_CHAIN_NOTE
      }),
      id: 'assumeRole.accessKey'
    },
    {
      ...input('authentication.secretKey', {
        label: 'Secret key (optional)',
        type: 'String',
        feel: 'optional',
        secret: true,
        ...optional,
        group: 'authentication',
        condition: AUTH('assumeRole'),
        tooltip: 'Goes with the access key above; leave both empty to use the worker\'s own identity.'
      }),
      id: 'assumeRole.secretKey'
    },
    input('authentication.sessionToken', {
      label: 'Session token',
      type: 'String',
      feel: 'optional',
      secret: true,
      ...optional,
      group: 'authentication',
      condition: combine([ENTERED, anyOf('authentication.type', ['credentials', 'assumeRole'])]),
      tooltip:
        'Only for temporary credentials (access keys starting with ASIA), as a secret reference.'
    }),
    input('authentication.roleArn', {
      label: 'Role ARN',
      type: 'String',
      placeholder: 'arn:aws:iam::123456789012:role/s3-writer',
      feel: 'optional',
      ...required,
      group: 'authentication',
      condition: AUTH('assumeRole'),
      tooltip:
        'The IAM role to assume. Its temporary credentials are cached by the worker and renewed ' +
        'before they expire.'
    }),
    input('authentication.externalId', {
      label: 'External ID',
      type: 'String',
      feel: 'optional',
      secret: true,
      ...optional,
      group: 'authentication',
      condition: AUTH('assumeRole'),
      tooltip: "Only if the role's trust policy requires an external ID (typical for third-party access)."
    }),
    input('authentication.roleSessionName', {
      label: 'Role session name',
      type: 'String',
      placeholder: 'zeebe-s3-connector',
      feel: 'optional',
      ...optional,
      group: 'authentication',
      condition: AUTH('assumeRole'),
      tooltip:
        'Shown in CloudTrail. 2–64 letters, digits and _+=,.@- characters. Default: zeebe-s3-connector.'
    }),
    input('authentication.durationSeconds', {
      label: 'Session duration (seconds)',
      type: 'Number',
      feel: 'optional',
      ...optional,
      group: 'authentication',
      condition: AUTH('assumeRole'),
      tooltip:
        "900 to 43200 seconds, default 3600. It must not exceed the role's maximum session duration."
    })
  ];
}

function configuration() {
  return [
    input('configuration.region', {
      label: 'Region',
      type: 'String',
      placeholder: 'eu-central-1',
      feel: 'optional',
      ...optional,
      group: 'configuration',
      condition: ENTERED,
      tooltip:
        "The bucket's AWS region, e.g. eu-central-1. If empty, the worker's AWS_REGION or " +
        'AWS_DEFAULT_REGION applies, then us-east-1. S3-compatible stores take their own names, ' +
        'e.g. auto for Cloudflare R2.'
    }),
    input('configuration.endpoint', {
      label: 'Custom endpoint',
      type: 'String',
      placeholder: 'https://minio.example.com:9000',
      feel: 'optional',
      ...optional,
      group: 'configuration',
      tooltip:
        'Only for S3-compatible stores (MinIO, Cloudflare R2, Ceph); leave empty for AWS. The worker ' +
        'only contacts endpoints its operator listed in S3_CONNECTOR_ALLOWED_ENDPOINTS (or its ' +
        'default endpoint). Any other endpoint is never contacted: the job stops with an incident.'
    }),
    input('configuration.forcePathStyle', {
      label: 'Addressing style',
      type: 'Dropdown',
      ...optional,
      group: 'configuration',
      choices: [
        { name: 'Path-style (endpoint/bucket/key)', value: '=true' },
        { name: 'Virtual-hosted style (bucket.endpoint/key)', value: '=false' }
      ],
      tooltip:
        'Leave empty for the usual choice: path-style with a custom endpoint, virtual-hosted style ' +
        'on AWS.'
    }),
    input('configuration.fips', {
      label: 'Use FIPS endpoints',
      type: 'Boolean',
      value: false,
      feel: 'static',
      group: 'configuration',
      tooltip:
        'AWS FIPS 140 endpoints (available in US and Canada regions). Not allowed with a custom endpoint.'
    }),
    input('configuration.dualStack', {
      label: 'Use dual-stack (IPv6) endpoints',
      type: 'Boolean',
      value: false,
      feel: 'static',
      group: 'configuration',
      tooltip: 'AWS dual-stack endpoints, reachable over IPv6 and IPv4. Not allowed with a custom endpoint.'
    })
  ];
}

// ---------------------------------------------------------------------------------------------
// Object (bucket, key, version)

const BUCKET_TOOLTIP =
  "The bucket's name. It is checked against S3's naming rules (3–63 lowercase letters, digits, " +
  'dots and hyphens) before any request.';

const bucket = (condition, group = 'object', prefix = 'action') =>
  input(`${prefix}.bucket`, {
    label: 'Bucket',
    type: 'String',
    placeholder: 'my-bucket',
    feel: 'optional',
    ...required,
    group,
    condition,
    tooltip: BUCKET_TOOLTIP
  });

const requiredKey = (what, condition) =>
  input('action.key', {
    label: 'Object key',
    type: 'String',
    placeholder: 'invoices/2024/inv-1.pdf',
    feel: 'optional',
    ...required,
    group: 'object',
    condition,
    tooltip: `The key of the object to ${what}, at most 1024 bytes.`
  });

// ---------------------------------------------------------------------------------------------
// Addressing (our task types only): bucket + key, an s3:// URI, a key template, many keys

const ADDRESSING = {
  bucketKey: { name: 'Bucket and key', value: 'bucketKey' },
  prefix: { name: 'Bucket and prefix', value: 'bucketKey' },
  uri: { name: 's3:// URI', value: 'uri' },
  template: { name: 'Bucket and key template', value: 'template' },
  keys: { name: 'Bucket and several keys', value: 'keys' }
};
const ADDRESSED = (id, ...values) =>
  values.length === 1 ? eq(id, values[0]) : anyOf(id, values);

function addressing(id, group, choices, tooltip) {
  return {
    id,
    label: 'Name the object by',
    type: 'Dropdown',
    value: 'bucketKey',
    group,
    // Modelling aid only: the choice selects which inputs are written.
    binding: { type: 'zeebe:property', name: id },
    choices: choices.map((c) => ADDRESSING[c]),
    tooltip
  };
}

const uriInput = (name, group, condition, placeholder, tooltip) =>
  input(name, {
    label: 's3:// URI',
    type: 'String',
    placeholder,
    feel: 'optional',
    ...required,
    group,
    condition,
    tooltip
  });

const URI_LITERAL =
  'Everything after the bucket is taken literally, as the AWS CLI does: spaces, %, # and ? are part ' +
  'of the key, nothing is percent-decoded.';

const keyTemplateInputs = (name, group, condition, fileNameIs) => [
  input(name, {
    label: 'Key template',
    type: 'String',
    placeholder: 'archive/{date}/{process_instance_key}-{file_name}',
    feel: 'optional',
    ...required,
    group,
    condition,
    tooltip:
      'The key, built for each job. Placeholders: {date} (2026-12-01), {time} (20-15-00), {date_time} ' +
      '(2026-12-01T20-15-00), {iso_date_time}, {timestamp} (epoch ms), {year} {month} {day} {hour} ' +
      `{minute} {second}, {uuid}, {file_name} {file_stem} {extension} (${fileNameIs}), ` +
      '{process_instance_key} {bpmn_process_id} {element_id} {job_key}. Write {{ and }} for literal ' +
      'braces. The expanded key (at most 1024 bytes) is in the response. For a key that stays the same ' +
      'when the job is retried, build it from the job context, not from {uuid} or the time.'
  }),
  input('action.timeZone', {
    label: 'Time zone',
    type: 'String',
    placeholder: 'Europe/Berlin',
    feel: 'optional',
    ...optional,
    group,
    condition,
    tooltip: 'The IANA time zone of the date and time placeholders. Default: UTC.'
  })
];

// ---------------------------------------------------------------------------------------------
// Upload

const SOURCE = (value) => eq('documentSource', value);

// Storage class and server-side encryption of a new object (upload, copy).
function storageAndEncryption(group) {
  return [
    input('action.storageClass', {
      label: 'Storage class',
      type: 'Dropdown',
      ...optional,
      group,
      choices: [
        { name: 'Standard', value: 'STANDARD' },
        { name: 'Intelligent-Tiering', value: 'INTELLIGENT_TIERING' },
        { name: 'Standard-IA (infrequent access)', value: 'STANDARD_IA' },
        { name: 'One Zone-IA', value: 'ONEZONE_IA' },
        { name: 'Glacier Instant Retrieval', value: 'GLACIER_IR' },
        { name: 'Glacier Flexible Retrieval', value: 'GLACIER' },
        { name: 'Glacier Deep Archive', value: 'DEEP_ARCHIVE' },
        { name: 'Express One Zone (directory buckets)', value: 'EXPRESS_ONEZONE' },
        { name: 'Reduced Redundancy (legacy)', value: 'REDUCED_REDUNDANCY' }
      ],
      tooltip:
        "Leave empty for the bucket's default (usually Standard). S3-compatible stores may only " +
        'know STANDARD.'
    }),
    input('action.serverSideEncryption', {
      label: 'Server-side encryption',
      type: 'Dropdown',
      ...optional,
      group,
      choices: [
        { name: 'SSE-S3 (AES256)', value: 'AES256' },
        { name: 'SSE-KMS (aws:kms)', value: 'aws:kms' },
        { name: 'DSSE-KMS (aws:kms:dsse)', value: 'aws:kms:dsse' }
      ],
      tooltip: "Leave empty for the bucket's default encryption."
    }),
    input('action.kmsKeyId', {
      label: 'KMS key',
      type: 'String',
      placeholder: 'alias/my-key',
      feel: 'optional',
      ...optional,
      group,
      condition: anyOf('action.serverSideEncryption', ['aws:kms', 'aws:kms:dsse']),
      tooltip: 'KMS key ID, alias or ARN. Leave empty for the AWS managed key aws/s3.'
    })
  ];
}

const BY = (...values) => ADDRESSED('addressing', ...values);

// Where an upload goes. Ours: bucket + key, a key template or an s3:// URI; Camunda's: bucket + key.
function uploadTarget(own) {
  const key = input('action.key', {
    label: 'Object key',
    type: 'String',
    placeholder: 'invoices/2024/inv-1.pdf',
    feel: 'optional',
    ...optional,
    group: 'object',
    condition: own ? BY('bucketKey') : undefined,
    tooltip:
      "Where to store the object, at most 1024 bytes. Leave empty to use the document's file name. " +
      "An existing object with this key is replaced unless 'Create only' is checked."
  });
  if (!own) return [bucket(), key];
  return [
    addressing('addressing', 'object', ['bucketKey', 'template', 'uri'],
      'Bucket and key; a bucket and a key template built for each job; or an s3:// URI.'),
    bucket(BY('bucketKey', 'template')),
    key,
    ...keyTemplateInputs('action.keyTemplate', 'object', BY('template'), "the document's file name"),
    uriInput('action.uri', 'object', BY('uri'), 's3://my-bucket/invoices/inv-1.pdf',
      's3://bucket/key, or s3://bucket/folder/ to store the document under its file name in that ' +
      'folder. ' + URI_LITERAL)
  ];
}

// One object by bucket + key or (ours) an s3:// URI.
function oneObject(own, what, choices = ['bucketKey', 'uri']) {
  const key = requiredKey(what, own ? BY('bucketKey') : undefined);
  if (!own) return [bucket(), key];
  return [
    addressing('addressing', 'object', choices,
      'Bucket and key, or an s3:// URI (s3://bucket/key)' + (choices.includes('keys') ? ', or a bucket and a list of keys.' : '.')),
    bucket(BY(...choices.filter((c) => c !== 'uri'))),
    key,
    uriInput('action.uri', 'object', BY('uri'), 's3://my-bucket/invoices/inv-1.pdf', 's3://bucket/key. ' + URI_LITERAL)
  ];
}

function upload(own = false) {
  return [
    ...uploadTarget(own),
    {
      id: 'documentSource',
      label: 'Document source',
      type: 'Dropdown',
      value: 'camunda',
      group: 'document',
      // Modelling aid only: the choice selects which helpers and which composer apply.
      binding: { type: 'zeebe:property', name: 'documentSource' },
      choices: [
        { name: 'Camunda document or variable', value: 'camunda' },
        { name: 'Inline content', value: 'inline' },
        { name: 'From a URL', value: 'external' }
      ],
      tooltip:
        'A Camunda document (from a form, an earlier task or another connector), content entered ' +
        'here, or a file the worker downloads from a URL.'
    },
    input('action.documentReference', {
      label: 'Document',
      type: 'String',
      feel: 'required',
      ...required,
      group: 'document',
      condition: SOURCE('camunda'),
      tooltip:
        'FEEL for the document to upload, e.g. =invoice or =files[1]: a Camunda document reference, ' +
        'or a one-element list of one. Camunda documents need Camunda 8.7+ and CAMUNDA_REST_ADDRESS ' +
        'on the worker; they are streamed, so any size works. A plain text or JSON value is ' +
        'uploaded as text or JSON.'
    }),
    input('action.inlineContent', {
      label: 'Content',
      type: 'Text',
      feel: 'optional',
      ...required,
      group: 'document',
      condition: SOURCE('inline'),
      tooltip:
        'Text to upload, or FEEL; a value that is not text is uploaded as compact JSON. For binary ' +
        "content give base64 text and choose 'Base64' as content encoding. Inline content travels " +
        'inside the job, twice (as entered and in the composed document): keep it well below ' +
        "Zeebe's 4 MiB message limit (the worker accepts up to S3_CONNECTOR_INLINE_UPLOAD_MAX_BYTES) " +
        'and use a Camunda document for larger files.'
    }),
    input('action.inlineFileName', {
      label: 'File name',
      type: 'String',
      placeholder: 'report.csv',
      feel: 'optional',
      ...optional,
      group: 'document',
      condition: SOURCE('inline'),
      tooltip: 'The object key when the key is empty; also used to guess the content type.'
    }),
    input('action.inlineContentType', {
      label: 'Content type',
      type: 'String',
      placeholder: 'text/csv',
      feel: 'optional',
      ...optional,
      group: 'document',
      condition: SOURCE('inline'),
      tooltip:
        "The inline document's content type. If empty, it is guessed from the file name or key, " +
        'then detected from the bytes.'
    }),
    input('action.contentEncoding', {
      label: 'Content encoding',
      type: 'Dropdown',
      ...optional,
      group: 'document',
      condition: SOURCE('inline'),
      choices: [{ name: 'Base64 (decoded before the upload)', value: 'base64' }],
      tooltip:
        'Leave empty to upload the content as UTF-8 text. Base64: the content is base64 text and the ' +
        'decoded bytes are uploaded, for binary files.'
    }),
    input('action.externalUrl', {
      label: 'URL',
      type: 'String',
      placeholder: 'https://example.com/files/report.pdf',
      feel: 'optional',
      ...required,
      group: 'document',
      condition: SOURCE('external'),
      tooltip:
        'An http(s) URL the worker downloads and streams into S3. Private, loopback and link-local ' +
        'addresses and cloud metadata endpoints are refused unless the operator allows them; the ' +
        'size limit is S3_CONNECTOR_EXTERNAL_MAX_BYTES (5 GiB by default).'
    }),
    input('action.externalFileName', {
      label: 'File name',
      type: 'String',
      placeholder: 'report.pdf',
      feel: 'optional',
      ...optional,
      group: 'document',
      condition: SOURCE('external'),
      tooltip:
        "The object key when the key is empty. Default: the response's Content-Disposition, then " +
        "the URL's last path segment."
    }),
    // The composers: hidden, one per source, after the helpers they read by full path.
    {
      ...input('action.document', {
        type: 'Hidden',
        value: '=action.documentReference',
        group: 'document',
        condition: SOURCE('camunda')
      }),
      id: 'document.camunda'
    },
    {
      ...input('action.document', {
        type: 'Hidden',
        value:
          '={"camunda.document.type": "inline", "content": action.inlineContent, ' +
          '"name": action.inlineFileName, "contentType": action.inlineContentType}',
        group: 'document',
        condition: SOURCE('inline')
      }),
      id: 'document.inline'
    },
    {
      ...input('action.document', {
        type: 'Hidden',
        value: '={"camunda.document.type": "external", "url": action.externalUrl, "name": action.externalFileName}',
        group: 'document',
        condition: SOURCE('external')
      }),
      id: 'document.external'
    },
    input('action.contentType', {
      label: 'Content type',
      type: 'String',
      placeholder: 'application/pdf',
      feel: 'optional',
      ...optional,
      group: 'uploadOptions',
      tooltip:
        "Overrides the stored content type. Default: the document's own, else guessed from the key's " +
        'extension, else detected from the bytes.'
    }),
    input('action.metadata', {
      label: 'User metadata',
      type: 'String',
      feel: 'required',
      ...optional,
      group: 'uploadOptions',
      tooltip:
        'A FEEL context of strings, e.g. ={"project": "alpha", "source": "onboarding"}, stored as ' +
        'x-amz-meta-* headers. Names are ASCII without spaces or colons; at most 2 KB in total.'
    }),
    input('action.tags', {
      label: 'Tags',
      type: 'String',
      feel: 'required',
      ...optional,
      group: 'uploadOptions',
      tooltip:
        'A FEEL context of strings, e.g. ={"department": "finance"}. At most 10 tags; names have ' +
        '1–128 characters, values at most 256.'
    }),
    ...storageAndEncryption('uploadOptions'),
    input('action.cacheControl', {
      label: 'Cache-Control',
      type: 'String',
      placeholder: 'max-age=3600',
      feel: 'optional',
      ...optional,
      group: 'uploadOptions',
      tooltip: 'Stored with the object and returned on every GET.'
    }),
    input('action.contentDisposition', {
      label: 'Content-Disposition',
      type: 'String',
      placeholder: 'attachment; filename="invoice.pdf"',
      feel: 'optional',
      ...optional,
      group: 'uploadOptions',
      tooltip: 'Stored with the object, e.g. to make browsers download it under a file name.'
    }),
    input('action.createOnly', {
      label: 'Create only (never replace an existing object)',
      type: 'Boolean',
      value: false,
      feel: 'static',
      group: 'uploadOptions',
      tooltip:
        'A conditional write (If-None-Match: *): if an object exists at the key, the job fails with ' +
        'PreconditionFailed and no retries (an incident), so a retried job can never silently ' +
        'replace an object. Needs a store that supports conditional writes (AWS S3 does).'
    }),
    input('action.presignedLinkExpiry', {
      label: 'Presigned link validity',
      type: 'String',
      placeholder: 'PT1H',
      feel: 'optional',
      ...optional,
      group: 'uploadOptions',
      tooltip:
        'An ISO-8601 duration from PT1S to P7D, e.g. PT15M, PT1H, P7D. The response then has ' +
        'presignedLink, a GET URL that anyone holding it can use until presignedLinkExpiresAt. ' +
        'Leave empty for no link.'
    })
  ];
}

// ---------------------------------------------------------------------------------------------
// Download

const RETURNED = (value) => eq('documentReturnFormat.choice', value);

function download(own = false) {
  return [
    ...oneObject(own, 'download'),
    input('action.versionId', {
      label: 'Version ID',
      type: 'String',
      feel: 'optional',
      ...optional,
      group: 'object',
      tooltip: 'A version of an object in a versioned bucket. Leave empty for the current version.'
    }),
    input('action.range', {
      label: 'Byte range',
      type: 'String',
      placeholder: 'bytes=0-1023',
      feel: 'optional',
      ...optional,
      group: 'object',
      tooltip:
        'Download only part of the object, as an HTTP range: bytes=0-1023, bytes=1024- or bytes=-500 ' +
        '(the last 500 bytes). The inline size limit applies to the range.'
    }),
    input('documentReturnFormat.choice', {
      label: 'Return the object as',
      type: 'Dropdown',
      value: 'DOCUMENT',
      group: 'response',
      choices: [
        { name: 'Camunda document (any size)', value: 'DOCUMENT' },
        { name: 'Text', value: 'TEXT' },
        { name: 'JSON', value: 'JSON' },
        { name: 'By content type (text, JSON or base64)', value: 'AUTO' }
      ],
      tooltip:
        'Camunda document: streamed into the document store, no size limit; the response holds a ' +
        'document reference (Camunda 8.7+, CAMUNDA_REST_ADDRESS on the worker). Text, JSON and "by ' +
        'content type" put the content itself into the response, up to ' +
        'S3_CONNECTOR_INLINE_CONTENT_MAX_BYTES (1.5 MiB by default); a larger object stops with an ' +
        'incident. By content type: text/* and XML become text in their charset, JSON is parsed, ' +
        'anything else becomes base64.'
    }),
    input('documentReturnFormat.encoding', {
      label: 'Character encoding',
      type: 'String',
      placeholder: 'UTF-8',
      feel: 'optional',
      ...optional,
      group: 'response',
      condition: RETURNED('TEXT'),
      tooltip: 'The charset that decodes the text, e.g. UTF-8, ISO-8859-1, windows-1252. Default: UTF-8.'
    }),
    input('action.documentTimeToLive', {
      label: 'Document time to live',
      type: 'String',
      placeholder: 'P7D',
      feel: 'optional',
      ...optional,
      group: 'response',
      condition: RETURNED('DOCUMENT'),
      tooltip:
        'An ISO-8601 duration after which the document store may delete the new document. ' +
        "Default: the store's own."
    }),
    input('action.documentCustomProperties', {
      label: 'Document custom properties',
      type: 'String',
      feel: 'required',
      ...optional,
      group: 'response',
      condition: RETURNED('DOCUMENT'),
      tooltip: 'A FEEL context stored in the new document\'s metadata, e.g. ={"source": "s3"}.'
    }),
    input('action.documentLinkTimeToLive', {
      label: 'Document link validity',
      type: 'String',
      placeholder: 'PT1H',
      feel: 'optional',
      ...optional,
      group: 'response',
      condition: RETURNED('DOCUMENT'),
      tooltip:
        'Also create a link to the new document, valid this long (ISO-8601, e.g. PT1H); the ' +
        'response then has documentLink {url, expiresAt}. Leave empty for no link.'
    })
  ];
}

// ---------------------------------------------------------------------------------------------
// Delete

function del(own = false) {
  const properties = oneObject(own, 'delete', own ? ['bucketKey', 'uri', 'keys'] : undefined).map((p) =>
    p.id === 'action.key' ? { ...p, tooltip: 'The key of the object to delete. A missing key is not an error, as in S3.' } : p
  );
  return [
    ...properties,
    ...(own ? [input('action.keys', {
      label: 'Keys',
      type: 'String',
      feel: 'required',
      ...required,
      group: 'object',
      condition: BY('keys'),
      tooltip:
        'A FEEL list of 1 to 1000 keys, deleted in one request, e.g. =for o in listing.objects return ' +
        'o.key; an entry may be {key, versionId} for one version. Missing keys count as deleted. The ' +
        'response lists deleted and errors per key; if some key could not be deleted, the job fails ' +
        'with the code of the worst refusal (AccessDenied: an incident) and error.variables holds both lists.'
    })] : []),
    input('action.versionId', {
      label: 'Version ID',
      type: 'String',
      feel: 'optional',
      ...optional,
      group: 'object',
      condition: own ? BY('bucketKey', 'uri') : undefined,
      tooltip:
        'Delete one version of an object for good. Leave empty to delete the current object; in a ' +
        'versioned bucket that adds a delete marker.'
    })
  ];
}

// ---------------------------------------------------------------------------------------------
// List

function list() {
  return [
    addressing('addressing', 'object', ['prefix', 'uri'], 'Bucket and prefix, or an s3:// URI (s3://bucket/prefix/).'),
    bucket(BY('bucketKey')),
    input('action.prefix', {
      label: 'Prefix',
      type: 'String',
      placeholder: 'incoming/2026/',
      feel: 'optional',
      ...optional,
      group: 'object',
      condition: BY('bucketKey'),
      tooltip: 'Only keys that start with this, e.g. incoming/ for a folder. Leave empty for the whole bucket.'
    }),
    uriInput('action.uri', 'object', BY('uri'), 's3://my-bucket/incoming/', 's3://bucket/prefix/. ' + URI_LITERAL),
    input('action.delimiter', {
      label: 'Delimiter',
      type: 'String',
      placeholder: '/',
      feel: 'optional',
      ...optional,
      group: 'listing',
      tooltip:
        'With / the listing stays in one folder: keys deeper down are rolled up into folders (the ' +
        "response's folders). Leave empty to list every key under the prefix."
    }),
    input('action.startAfter', {
      label: 'Start after',
      type: 'String',
      feel: 'optional',
      ...optional,
      group: 'listing',
      tooltip: 'List only keys after this one (in UTF-8 byte order).'
    }),
    input('action.maxKeys', {
      label: 'Page size',
      type: 'Number',
      feel: 'optional',
      ...optional,
      group: 'listing',
      tooltip: 'At most this many objects and folders per page, 1 to 1000. Default: 1000.'
    }),
    input('action.continuationToken', {
      label: 'Continuation token',
      type: 'String',
      placeholder: '=listing.continuationToken',
      feel: 'optional',
      ...optional,
      group: 'listing',
      tooltip:
        "To get the next page, the previous page's continuationToken (its truncated is true). A page " +
        'also ends early when its response would pass 1 MiB; the token then resumes after the last ' +
        'entry returned, so nothing is left out.'
    })
  ];
}

// ---------------------------------------------------------------------------------------------
// Copy and move

const SOURCE_BY = (...values) => ADDRESSED('sourceAddressing', ...values);
const TARGET_BY = (...values) => ADDRESSED('targetAddressing', ...values);
const REPLACING = eq('action.metadataDirective', 'REPLACE');

function copy() {
  return [
    addressing('sourceAddressing', 'source', ['bucketKey', 'uri'], 'Bucket and key, or an s3:// URI.'),
    bucket(SOURCE_BY('bucketKey'), 'source', 'action.source'),
    input('action.source.key', {
      label: 'Object key',
      type: 'String',
      placeholder: 'incoming/inv-1.pdf',
      feel: 'optional',
      ...required,
      group: 'source',
      condition: SOURCE_BY('bucketKey'),
      tooltip: 'The key of the object to copy.'
    }),
    uriInput('action.sourceUri', 'source', SOURCE_BY('uri'), 's3://my-bucket/incoming/inv-1.pdf',
      's3://bucket/key of the object to copy. ' + URI_LITERAL),
    input('action.source.versionId', {
      label: 'Version ID',
      type: 'String',
      feel: 'optional',
      ...optional,
      group: 'source',
      tooltip: 'Copy this version of the object. Leave empty for the current version.'
    }),
    addressing('targetAddressing', 'target', ['bucketKey', 'template', 'uri'],
      'Bucket and key; a bucket and a key template built for each job; or an s3:// URI.'),
    {
      ...bucket(TARGET_BY('bucketKey', 'template'), 'target', 'action.target'),
      ...optional,
      constraints: undefined,
      tooltip: 'The bucket to copy into. Leave empty for the source\'s bucket. ' + BUCKET_TOOLTIP
    },
    input('action.target.key', {
      label: 'Object key',
      type: 'String',
      placeholder: 'archive/inv-1.pdf',
      feel: 'optional',
      ...required,
      group: 'target',
      condition: TARGET_BY('bucketKey'),
      tooltip: "The key of the copy. An existing object there is replaced unless 'Create only' is checked."
    }),
    ...keyTemplateInputs('action.target.keyTemplate', 'target', TARGET_BY('template'), "the source key's last segment"),
    uriInput('action.targetUri', 'target', TARGET_BY('uri'), 's3://my-bucket/archive/',
      's3://bucket/key, or s3://bucket/folder/ to keep the file name (the source key\'s last segment) in ' +
      'that folder, as aws s3 cp does. ' + URI_LITERAL),
    input('action.deleteSource', {
      label: 'Move (delete the source after the copy)',
      type: 'Boolean',
      value: false,
      feel: 'static',
      group: 'copyOptions',
      tooltip:
        'A move: the source is deleted only after the copy is verified (size, and ETag or checksum). If ' +
        'the copy fails, the source stays. If the source cannot be deleted, the job fails ' +
        '(SOURCE_NOT_DELETED, retried); the retry finds the copy in place and only deletes.'
    }),
    input('action.createOnly', {
      label: 'Create only (never replace an existing object)',
      type: 'Boolean',
      value: false,
      feel: 'static',
      group: 'copyOptions',
      tooltip:
        'If an object exists at the target, the job fails with PreconditionFailed and no retries (an ' +
        'incident). The target is checked first, and the copy is conditional too where the store ' +
        'supports it.'
    }),
    input('action.metadataDirective', {
      label: 'Metadata',
      type: 'Dropdown',
      value: 'COPY',
      group: 'copyOptions',
      choices: [
        { name: "Copy the source's metadata", value: 'COPY' },
        { name: 'Replace the metadata', value: 'REPLACE' }
      ],
      tooltip:
        "COPY keeps the source's user metadata, content type and other content headers. REPLACE sets " +
        'the user metadata (and content type) given below and keeps the other content headers. Tags ' +
        'are kept either way; the storage class is the one chosen below, else the bucket\'s default.'
    }),
    input('action.metadata', {
      label: 'User metadata',
      type: 'String',
      feel: 'required',
      ...optional,
      group: 'copyOptions',
      condition: REPLACING,
      tooltip: 'A FEEL context of strings, e.g. ={"state": "archived"}, stored as x-amz-meta-* headers; at most 2 KB.'
    }),
    input('action.contentType', {
      label: 'Content type',
      type: 'String',
      placeholder: 'application/pdf',
      feel: 'optional',
      ...optional,
      group: 'copyOptions',
      condition: REPLACING,
      tooltip: "The copy's content type. Empty: the source's."
    }),
    ...storageAndEncryption('copyOptions')
  ];
}

// ---------------------------------------------------------------------------------------------
// Presign and head

function presign() {
  return [
    ...oneObject(true, 'share'),
    input('action.method', {
      label: 'Method',
      type: 'Dropdown',
      value: 'GET',
      group: 'link',
      choices: [
        { name: 'GET: download the object', value: 'GET' },
        { name: 'PUT: upload to this key', value: 'PUT' }
      ],
      tooltip: 'What the URL allows: downloading the object, or uploading to its key.'
    }),
    input('action.expiresIn', {
      label: 'Valid for',
      type: 'String',
      value: 'PT15M',
      constraints: { notEmpty: true, pattern: DURATION },
      group: 'link',
      tooltip:
        'An ISO-8601 duration from PT1S to P7D, e.g. PT15M, PT1H, P7D. With temporary credentials (an ' +
        'assumed role) the URL ends when they do: expiresAt in the response says when.'
    }),
    input('action.contentType', {
      label: 'Content type',
      type: 'String',
      placeholder: 'application/pdf',
      feel: 'optional',
      ...optional,
      group: 'link',
      tooltip:
        'GET: the content type S3 serves. PUT: the content type the uploader must send (listed in the ' +
        "response's headers) and S3 stores."
    }),
    input('action.contentDisposition', {
      label: 'Content-Disposition',
      type: 'String',
      placeholder: 'attachment; filename="invoice.pdf"',
      feel: 'optional',
      ...optional,
      group: 'link',
      tooltip:
        'GET: served with the object, e.g. attachment; filename="invoice.pdf" to name the downloaded ' +
        'file. PUT: a header the uploader must send, stored with the object.'
    }),
    input('action.versionId', {
      label: 'Version ID',
      type: 'String',
      feel: 'optional',
      ...optional,
      group: 'object',
      condition: eq('action.method', 'GET'),
      tooltip: 'A GET of this version of the object. Leave empty for the current version.'
    })
  ];
}

function head() {
  return [
    ...oneObject(true, 'look at'),
    input('action.versionId', {
      label: 'Version ID',
      type: 'String',
      feel: 'optional',
      ...optional,
      group: 'object',
      tooltip: 'A version of the object. Leave empty for the current version.'
    }),
    input('action.failIfMissing', {
      label: 'Fail if the object is missing',
      type: 'Boolean',
      value: false,
      feel: 'static',
      group: 'object',
      tooltip:
        'Unchecked: a missing object gives exists: false. Checked: the job fails with NoSuchKey and is ' +
        'retried (with the retry backoff) until the object is there or the retries run out. A missing ' +
        'bucket always fails with NoSuchBucket (an incident).'
    })
  ];
}

// ---------------------------------------------------------------------------------------------
// Output, error handling, retries (every action)

const RESPONSES = {
  uploadObject: '{bucket, key, link, versionId, eTag, size, contentType} (plus presignedLink and presignedLinkExpiresAt if asked for)',
  downloadObject: '{bucket, key, element, contentType, size, eTag, versionId}, where element is {document} or {content}',
  deleteObject: '{bucket, key, versionId, deleteMarker}',
  listObjects:
    '{bucket, prefix, uri, objects: [{key, uri, size, eTag, lastModified, storageClass}], folders, truncated, ' +
    'continuationToken}',
  copyObject:
    '{source: {bucket, key, uri, versionId}, target: {bucket, key, uri, versionId, eTag, size, link}, sourceDeleted}',
  presignObject: '{bucket, key, uri, url, method, expiresAt, headers}',
  headObject: '{bucket, key, uri, exists, size, contentType, eTag, lastModified, versionId, metadata, storageClass}'
};
// Our task types answer with the object's s3:// URI too.
const OWN_RESPONSES = {
  ...RESPONSES,
  uploadObject: '{bucket, key, uri, link, versionId, eTag, size, contentType} (plus presignedLink and presignedLinkExpiresAt if asked for)',
  downloadObject: '{bucket, key, uri, element, contentType, size, eTag, versionId}, where element is {document} or {content}',
  deleteObject: '{bucket, key, uri, versionId, deleteMarker}; for several keys {bucket, deleted, errors}'
};
const DURATION = {
  value: '^$|^[Pp](\\d+[Dd])?([Tt](\\d+[Hh])?(\\d+[Mm])?(\\d+([.,]\\d+)?[Ss])?)?$',
  message: 'Must be an ISO-8601 duration such as PT30S, PT5M or P1D.'
};

function outputAndErrors(actions) {
  const response = actions.length === 1 ? `The response is ${OWN_RESPONSES[actions[0]]}.` :
    'The response is, for uploads, ' + RESPONSES.uploadObject + '; for downloads, ' +
    RESPONSES.downloadObject + '; for deletes, ' + RESPONSES.deleteObject + '.';
  return [
    header('resultVariable', {
      label: 'Result variable',
      type: 'String',
      ...optional,
      group: 'output',
      tooltip: `Name of the process variable that receives the whole response. ${response}`
    }),
    header('resultExpression', {
      label: 'Result expression',
      type: 'Text',
      feel: 'required',
      ...optional,
      group: 'output',
      tooltip:
        'FEEL over the response: its fields are visible directly and as response; process variables ' +
        'are not. It must give a context (or null), whose entries become process variables, e.g. ' +
        '={objectLink: link, objectSize: response.size}. The worker also accepts a JSON object of ' +
        'JSONPath expressions, e.g. {"link": "$.link"}, when the header has no leading = (outside ' +
        'this FEEL field).'
    }),
    header('errorExpression', {
      label: 'Error expression',
      type: 'Text',
      feel: 'required',
      ...optional,
      group: 'error',
      tooltip:
        'FEEL evaluated after each attempt. On a failure it sees error.code (e.g. NoSuchKey, ' +
        'AccessDenied, INVALID_INPUT), error.message, error.type, error.variables and job.retries. ' +
        'bpmnError("CODE", message) throws a BPMN error for a boundary event; jobError(message, ' +
        'variables, retries, backoff) fails with your retries; ignoreError() completes; null keeps ' +
        'the default outcome. Example: =if error.code = "NoSuchKey" then bpmnError("NOT_FOUND", ' +
        'error.message) else null'
    }),
    {
      id: 'retries',
      label: 'Retries',
      type: 'String',
      value: '3',
      feel: 'optional',
      group: 'retries',
      binding: { type: 'zeebe:taskDefinition', property: 'retries' },
      tooltip:
        'How often the job is attempted when it fails for a reason that may pass: throttling, S3 5xx, ' +
        'network errors, a missing object. Invalid input and permanent S3 errors (AccessDenied, ' +
        'NoSuchBucket, …) raise an incident at once.'
    },
    header('retryBackoff', {
      label: 'Retry backoff',
      type: 'String',
      value: 'PT30S',
      constraints: { notEmpty: true, pattern: DURATION },
      group: 'retries',
      tooltip:
        'ISO-8601 duration Zeebe waits before the next attempt. The worker already retries every S3 ' +
        'request a few times (S3_CONNECTOR_S3_MAX_ATTEMPTS), so an immediate job retry rarely ' +
        'helps; 30 seconds lets throttling and short outages pass. PT0S retries at once.'
    }),
    header('jobTimeout', {
      label: 'Job timeout',
      type: 'String',
      placeholder: 'PT30M',
      ...optional,
      constraints: { notEmpty: false, pattern: DURATION },
      group: 'retries',
      tooltip:
        'ISO-8601 duration one attempt may take before Zeebe gives the job to another worker, e.g. ' +
        "PT30M for large transfers. Empty: the worker's S3_CONNECTOR_JOB_TIMEOUT_MS (5 minutes)."
    })
  ];
}

// ---------------------------------------------------------------------------------------------
// Templates

const taskType = (value) => ({
  type: 'Hidden',
  value,
  binding: { type: 'zeebe:taskDefinition', property: 'type' }
});

const SECTIONS = {
  uploadObject: upload,
  downloadObject: download,
  deleteObject: del,
  listObjects: list,
  copyObject: copy,
  presignObject: presign,
  headObject: head
};

function template({ id, name, description, keywords, taskTypeValue, properties }) {
  const used = new Set(properties.map((p) => p.group).filter(Boolean));
  return {
    $schema: SCHEMA,
    name,
    id,
    description,
    keywords,
    documentationRef: DOCS,
    version: 1,
    category: { id: 'connectors', name: 'Connectors' },
    appliesTo: ['bpmn:Task'],
    elementType: { value: 'bpmn:ServiceTask' },
    engines: ENGINES,
    groups: GROUPS.filter((g) => used.has(g.id)),
    properties: [taskType(taskTypeValue), ...properties].map(ordered),
    icon: ICON
  };
}

function single(action, spec) {
  return template({
    ...spec,
    properties: [...authentication(), ...configuration(), ...SECTIONS[action](true), ...outputAndErrors([action])]
  });
}

// The compatible template: each action's properties with an actionDiscriminator condition.
// Properties that are the same for several actions are kept once, their conditions merged.
function compatibleActionProperties() {
  const merged = [];
  for (const action of ACTIONS) {
    for (const property of SECTIONS[action]()) {
      const same = merged.find((m) => JSON.stringify(m.property) === JSON.stringify(property));
      if (same) same.actions.push(action);
      else merged.push({ property, actions: [action] });
    }
  }
  const ids = new Map();
  for (const { property } of merged) ids.set(property.id, (ids.get(property.id) || 0) + 1);
  return merged.map(({ property, actions }) => {
    const on = actions.length === ACTIONS.length ? undefined :
      actions.length === 1 ? eq('actionDiscriminator', actions[0]) : anyOf('actionDiscriminator', actions);
    const id = ids.get(property.id) > 1 ? `${actions.map((a) => a.replace('Object', '')).join('+')}.${property.id}` : property.id;
    return { ...property, id, condition: combine([property.condition, on]) };
  });
}

export function buildTemplates() {
  return {
    's3-connector-upload.json': single('uploadObject', {
      id: 'io.zeebe-s3-connector.upload.v1',
      name: 'S3 Upload (zeebe-s3-connector)',
      description: 'Upload a document, inline content or a file from a URL to Amazon S3 or an S3-compatible store',
      keywords: ['upload file', 'upload object', 'put object', 's3', 'bucket', 'object storage', 'minio'],
      taskTypeValue: 's3-connector:upload:1'
    }),
    's3-connector-download.json': single('downloadObject', {
      id: 'io.zeebe-s3-connector.download.v1',
      name: 'S3 Download (zeebe-s3-connector)',
      description: 'Download an S3 object as a Camunda document, text or JSON',
      keywords: ['download file', 'download object', 'get object', 's3', 'bucket', 'object storage', 'minio'],
      taskTypeValue: 's3-connector:download:1'
    }),
    's3-connector-delete.json': single('deleteObject', {
      id: 'io.zeebe-s3-connector.delete.v1',
      name: 'S3 Delete (zeebe-s3-connector)',
      description: 'Delete an S3 object or one of its versions',
      keywords: ['delete file', 'delete object', 'remove object', 's3', 'bucket', 'object storage', 'minio'],
      taskTypeValue: 's3-connector:delete:1'
    }),
    's3-connector-list.json': single('listObjects', {
      id: 'io.zeebe-s3-connector.list.v1',
      name: 'S3 List (zeebe-s3-connector)',
      description: 'List the objects and folders under a prefix, a page at a time',
      keywords: ['list files', 'list objects', 'folder', 's3', 'bucket', 'object storage', 'minio'],
      taskTypeValue: 's3-connector:list:1'
    }),
    's3-connector-copy.json': single('copyObject', {
      id: 'io.zeebe-s3-connector.copy.v1',
      name: 'S3 Copy or Move (zeebe-s3-connector)',
      description: 'Copy or move an S3 object, within a bucket or to another one',
      keywords: ['copy file', 'move file', 'archive', 's3', 'bucket', 'object storage', 'minio'],
      taskTypeValue: 's3-connector:copy:1'
    }),
    's3-connector-presign.json': single('presignObject', {
      id: 'io.zeebe-s3-connector.presign.v1',
      name: 'S3 Presigned URL (zeebe-s3-connector)',
      description: 'A time-limited link to download an S3 object or to upload one',
      keywords: ['share link', 'presigned url', 'download link', 'upload link', 's3', 'bucket', 'minio'],
      taskTypeValue: 's3-connector:presign:1'
    }),
    's3-connector-head.json': single('headObject', {
      id: 'io.zeebe-s3-connector.head.v1',
      name: 'S3 Object Exists (zeebe-s3-connector)',
      description: 'Check whether an S3 object exists, and read its size, type and metadata',
      keywords: ['file exists', 'object exists', 'metadata', 'head object', 's3', 'bucket', 'minio'],
      taskTypeValue: 's3-connector:head:1'
    }),
    's3-connector-camunda-compatible.json': template({
      id: 'io.zeebe-s3-connector.aws-s3.v1',
      name: 'AWS S3 (zeebe-s3-connector, Camunda-compatible task type)',
      description:
        "Upload, download or delete S3 objects with the task type of Camunda's AWS S3 connector " +
        '(io.camunda:aws-s3:1), served by zeebe-s3-connector',
      keywords: ['upload file', 'download file', 'delete file', 'aws s3', 's3', 'bucket', 'object storage'],
      taskTypeValue: 'io.camunda:aws-s3:1',
      properties: [
        input('actionDiscriminator', {
          label: 'Action',
          type: 'Dropdown',
          value: 'uploadObject',
          group: 'operation',
          choices: [
            { name: 'Upload object', value: 'uploadObject' },
            { name: 'Download object', value: 'downloadObject' },
            { name: 'Delete object', value: 'deleteObject' }
          ],
          tooltip: 'What to do. The fields below change with the action.'
        }),
        ...authentication(),
        ...configuration(),
        ...compatibleActionProperties(),
        ...outputAndErrors(ACTIONS)
      ]
    })
  };
}

export const render = (templateObject) => JSON.stringify(templateObject, null, 2) + '\n';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [file, templateObject] of Object.entries(buildTemplates())) {
    const url = new URL(file, TEMPLATE_DIR);
    const text = render(templateObject);
    if (!check) {
      writeFileSync(url, text);
      console.log(`wrote element-templates/${file}`);
      continue;
    }
    let current = null;
    try {
      current = readFileSync(url, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== text) {
      console.error(`element-templates/${file} is not what tests/templates/build-templates.mjs builds`);
      stale++;
    }
  }
  process.exit(stale ? 1 : 0);
}
