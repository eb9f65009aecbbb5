import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as kubemend from '../src/index.js';
import * as rule from '../src/rule-api/index.js';
import type {
  Patch,
  Report,
  ResourceSetRule,
  Rule,
  RuleMeta,
  SetContext,
  WorkloadContext,
  WorkloadRule,
} from '../src/rule-api/index.js';
import { ROOT } from './support/cli.js';

/*
 * The public API is what `kubemend` and `kubemend/rule` export. Adding or removing a name is a change for every
 * library user and plugin: this test makes it a deliberate one (update the lists, the README's Library section and,
 * for a removal, the version).
 */

describe('the public API', () => {
  it('kubemend exports lint, fix, format, config loading, the registry and profiles, and the loaders', () => {
    expect(Object.keys(kubemend).sort()).toEqual([
      'ALL_RULES',
      'Baseline',
      'ConfigError',
      'ENGINE_RULES',
      'FORMATS',
      'NEWEST_MINOR',
      'PROFILES',
      'PSS_RULES',
      'PSS_VERSIONS',
      'RULES',
      'WORKLOAD_KINDS',
      'applyProfile',
      'findConfigFile',
      'findRule',
      'fixTexts',
      'formatIssue',
      'formatReport',
      'isNullScalar',
      'lintBytes',
      'lintInputs',
      'lintInputsStream',
      'lintText',
      'loadConfig',
      'parseBaseline',
      'parseManifest',
      'readBoolean',
      'readInteger',
      'readString',
      'resourcesOf',
      'selectProfile',
      'serializeBaseline',
      'workloadOf',
    ]);
  });

  it('kubemend/rule exports the field helpers the built-in rules use, pssRule and the suppression codes', () => {
    expect(Object.keys(rule).sort()).toEqual([
      'SUPPRESSIONS_RULE_ID',
      'SUPPRESSION_EXPIRED',
      'SUPPRESSION_INVALID',
      'SUPPRESSION_UNUSED',
      'asBoolean',
      'asInteger',
      'asString',
      'containerField',
      'containerPath',
      'countEntries',
      'describeContainer',
      'describeSetter',
      'describeVolume',
      'findOverride',
      'isPresent',
      'nodeAtPath',
      'podAnnotationPath',
      'podField',
      'podPath',
      'pssRule',
      'readField',
      'readList',
      'readSecurityProfile',
      'runtimeDefaultProfile',
      'securityContextField',
      'securityContextOwners',
    ]);
  });

  it('kubemend/rule exports the rule contract, which kubemend re-exports', () => {
    expectTypeOf<WorkloadRule>().toMatchTypeOf<Rule>();
    expectTypeOf<ResourceSetRule>().toMatchTypeOf<Rule>();
    expectTypeOf<WorkloadRule['meta']>().toEqualTypeOf<RuleMeta>();
    expectTypeOf<WorkloadContext['report']>().parameter(0).toEqualTypeOf<Report>();
    expectTypeOf<NonNullable<Report['patches']>[number]>().toEqualTypeOf<Patch>();
    expectTypeOf<SetContext['note']>().toBeFunction();
    expectTypeOf<kubemend.WorkloadRule>().toEqualTypeOf<WorkloadRule>();
    expectTypeOf<kubemend.ResourceSetRule>().toEqualTypeOf<ResourceSetRule>();
    expectTypeOf<kubemend.RuleMeta>().toEqualTypeOf<RuleMeta>();
    expectTypeOf<kubemend.Patch>().toEqualTypeOf<Patch>();
    expectTypeOf<kubemend.Report>().toEqualTypeOf<Report>();
  });

  it('package.json exports kubemend and kubemend/rule, with their types', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { exports: unknown };
    expect(pkg.exports).toEqual({
      '.': { types: './dist/src/index.d.ts', default: './dist/src/index.js' },
      './rule': { types: './dist/src/rule-api/index.d.ts', default: './dist/src/rule-api/index.js' },
      './package.json': './package.json',
    });
  });
});
