// Apply one of our element templates to a lone service task, as Camunda Modeler would, and
// print the BPMN XML: the tool evaluates the template's conditions for the values given.
//
//   echo '{"template": "s3-connector-upload.json", "values": {"<property id>": "<value>"}}' \
//     | node tests/templates/apply.mjs
import { readFileSync } from 'node:fs';

import { applyWithValues } from './build-examples.mjs';
import { LONE_TASK_DIAGRAM } from './lone-task.mjs';


const request = JSON.parse(readFileSync(0, 'utf8'));
process.stdout.write(await applyWithValues(LONE_TASK_DIAGRAM, request.template, 'Task_1', request.values || {}));
