// Validate element-templates/*.json with Camunda's own validator (validateZeebe from
// @bpmn-io/element-templates-validator, against @camunda/zeebe-element-templates-json-schema),
// plus checks the schema does not make: the task type each file must bind, unique template
// ids, unique property ids, conditions that name existing properties, known property keys
// (the schema lets typos such as "secert" through), FEEL values where FEEL is required, and
// that the files are what tests/templates/build-templates.mjs builds.
//
//   node tests/templates/validate.mjs     prints one line per template; exit 1 on any error
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';

import { TEMPLATE_DIR, buildTemplates, render } from './build-templates.mjs';

const require = createRequire(new URL('../../tools/package.json', import.meta.url));
const { validateZeebe } = require('@bpmn-io/element-templates-validator');
const schemaPackage = require('@camunda/zeebe-element-templates-json-schema/package.json');

const TASK_TYPES = {
  's3-connector-upload.json': 's3-connector:upload:1',
  's3-connector-download.json': 's3-connector:download:1',
  's3-connector-delete.json': 's3-connector:delete:1',
  's3-connector-list.json': 's3-connector:list:1',
  's3-connector-copy.json': 's3-connector:copy:1',
  's3-connector-presign.json': 's3-connector:presign:1',
  's3-connector-head.json': 's3-connector:head:1',
  's3-connector-camunda-compatible.json': 'io.camunda:aws-s3:1'
};
const SCHEMA_URL = `https://unpkg.com/${schemaPackage.name}/resources/schema.json`;
const PROPERTY_KEYS = new Set([
  'id', 'label', 'description', 'type', 'value', 'placeholder', 'optional', 'feel', 'secret',
  'constraints', 'group', 'binding', 'condition', 'choices', 'tooltip', 'editable'
]);

function extraChecks(file, template) {
  const problems = [];
  if (template.$schema !== SCHEMA_URL) problems.push(`$schema is not ${SCHEMA_URL}`);
  const types = template.properties.filter(
    (p) => p.binding.type === 'zeebe:taskDefinition' && p.binding.property === 'type'
  );
  if (types.length !== 1 || types[0].type !== 'Hidden' || types[0].value !== TASK_TYPES[file]) {
    problems.push(`must bind the task type ${TASK_TYPES[file]} once, as a Hidden property`);
  }
  const ids = template.properties.map((p) => p.id).filter(Boolean);
  for (const id of new Set(ids)) {
    if (ids.filter((other) => other === id).length > 1) problems.push(`duplicate property id ${id}`);
  }
  const groups = new Set((template.groups || []).map((g) => g.id));
  for (const property of template.properties) {
    const name = property.id || JSON.stringify(property.binding);
    for (const key of Object.keys(property)) {
      if (!PROPERTY_KEYS.has(key)) problems.push(`${name}: unknown key ${key}`);
    }
    if (property.group && !groups.has(property.group)) problems.push(`${name}: unknown group ${property.group}`);
    const conditions = property.condition ? property.condition.allMatch || [property.condition] : [];
    for (const condition of conditions) {
      const target = template.properties.find((p) => p.id === condition.property);
      if (!target) {
        problems.push(`${name}: condition on unknown property ${condition.property}`);
        continue;
      }
      const wanted = 'equals' in condition ? [condition.equals] : condition.oneOf || [];
      const offered = target.type === 'Dropdown' ? target.choices.map((c) => c.value) : null;
      for (const value of offered ? wanted : []) {
        if (!offered.includes(value)) problems.push(`${name}: ${condition.property} never has value ${value}`);
      }
    }
    if (property.feel === 'required' && property.value !== undefined && !String(property.value).startsWith('=')) {
      problems.push(`${name}: FEEL is required but the value does not start with =`);
    }
    if (property.type === 'Hidden' && property.binding.type === 'zeebe:input' && property.value === undefined) {
      problems.push(`${name}: a Hidden input needs a value`);
    }
  }
  return problems;
}

// "/properties/5/constraints" -> " (property action.bucket)"
function where(template, pointer = '') {
  const match = /^\/properties\/(\d+)/.exec(pointer);
  const property = match && template.properties[Number(match[1])];
  return property && property.id ? ` (property ${property.id})` : '';
}

const files = readdirSync(TEMPLATE_DIR).filter((f) => f.endsWith('.json')).sort();
const built = buildTemplates();
const seenIds = new Map();
let failed = 0;

for (const file of Object.keys(TASK_TYPES)) {
  if (!files.includes(file)) {
    console.error(`element-templates/${file}: missing`);
    failed++;
  }
}

for (const file of files) {
  const text = readFileSync(new URL(file, TEMPLATE_DIR), 'utf8');
  let template;
  try {
    template = JSON.parse(text);
  } catch (error) {
    console.error(`element-templates/${file}: not JSON: ${error.message}`);
    failed++;
    continue;
  }
  const { valid, errors } = validateZeebe(template);
  const problems = valid ? [] : errors.map((e) => `${e.instancePath || '/'}${where(template, e.instancePath)}: ${e.message}`);
  if (!(file in TASK_TYPES)) problems.push('not one of the templates this script knows; add its task type here');
  else problems.push(...extraChecks(file, template));
  if (!(file in built) || render(built[file]) !== text) {
    problems.push('differs from what tests/templates/build-templates.mjs builds (edit that script, then run it)');
  }
  const key = `${template.id}@${template.version}`;
  if (seenIds.has(key)) problems.push(`template id ${key} is also used by ${seenIds.get(key)}`);
  seenIds.set(key, file);

  if (problems.length) {
    failed++;
    console.error(`element-templates/${file}: ${problems.length} error(s)`);
    for (const problem of problems) console.error(`  - ${problem}`);
  } else {
    console.log(`element-templates/${file}: valid (${template.id} v${template.version}, ${template.properties.length} properties)`);
  }
}

process.exit(failed ? 1 : 0);
