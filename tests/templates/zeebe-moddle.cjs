// The zeebe moddle descriptor (zeebe-bpmn-moddle, installed in tools/) for bpmnlint.
//
// .bpmnlintrc names this file under "moddleExtensions": without the descriptor, bpmnlint reads
// <zeebe:taskDefinition> and friends as untyped elements and bpmnlint-plugin-camunda-compat
// reports every service task as lacking one.
'use strict';

const path = require('node:path');

const tools = path.resolve(__dirname, '../../tools/node_modules');
module.exports = require(require.resolve('zeebe-bpmn-moddle/resources/zeebe.json', { paths: [tools] }));
