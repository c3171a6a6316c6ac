#!/usr/bin/env node
/*
 * Prints PapaParse's own parser test cases as JSON for tests/unit/util/csv_conformance_test.c.
 *
 * PapaParse ships its cases in tests/test-cases.js, a mocha/chai browser+node test file, not a
 * module: it declares `var CORE_PARSER_TESTS = [...]` and `var PARSE_TESTS = [...]` and then
 * registers them with describe()/it(). We run that file in a vm context with inert describe/it
 * and an inert stand-in for chai (chai is not installed), then read the two arrays off the context.
 *
 * Only the cases that apply to a plain RFC 4180 reader are printed. A case is excluded (listed
 * with the reason under "excluded") when it is disabled upstream or its config uses an option
 * our reader does not have: header rows turned into objects, dynamic typing, preview, comments,
 * step/chunk callbacks, skipEmptyLines 'greedy', fastMode, other quote or escape characters,
 * newline overrides, delimiters other than , ; TAB |. skipEmptyLines: true is kept: it is what
 * our reader always does. CORE_PARSER_TESTS run PapaParse's Parser, which
 * defaults to a comma; PARSE_TESTS run Papa.parse, which guesses the delimiter (as we sniff).
 *
 * Usage: node papaparse-cases.js [PAPAPARSE_DIR]
 *   (default: $PROSPECT_CONFORMANCE_DIR/papaparse)
 * Output: {"cases": [{"suite", "description", "input", "delimiter", "data", "errors"}],
 *          "excluded": [{"suite", "description", "reason"}]}
 */
'use strict';

const fs = require('fs');
const path = require('path');
const vm = require('vm');

const papaDir = path.resolve(process.argv[2] ||
    path.join(process.env.PROSPECT_CONFORMANCE_DIR || path.join(__dirname, 'node_modules'),
              'papaparse'));
const casesFile = path.join(papaDir, 'tests', 'test-cases.js');

const inert = function() {};
inert.skip = inert;
inert.only = inert;
const context = {
    chai: {assert: {}},
    Papa: require(path.join(papaDir, 'papaparse.js')),
    describe: inert,
    it: inert,
    before: inert,
    after: inert,
    beforeEach: inert,
    afterEach: inert,
    console: console,
    setTimeout: setTimeout,
    String: String,
};
vm.createContext(context);
vm.runInContext(fs.readFileSync(casesFile, 'utf8'), context, {filename: casesFile});

const OUR_DELIMITERS = [',', ';', '\t', '|'];

/* Config keys whose given values keep PapaParse a plain RFC 4180 reader. */
function unsupported(config) {
    for (const key of Object.keys(config || {})) {
        const value = config[key];
        if (key === 'delimiter') {
            if (typeof value !== 'string' || !OUR_DELIMITERS.includes(value))
                return 'delimiter ' + JSON.stringify(String(value)) + ' is not one of ours';
        } else if (key === 'header') {
            if (value !== false)
                return 'header: true turns rows into objects';
        } else if (key === 'skipEmptyLines') {
            /* true (drop empty lines) is what our reader always does; false is the default. */
            if (value !== true && value !== false)
                return 'skipEmptyLines ' + JSON.stringify(value) + ' also drops rows of blanks';
        } else if (key === 'quoteChar' || key === 'escapeChar') {
            if (value !== '"')
                return key + ' other than \'"\'';
        } else {
            return 'config option ' + key + ' is not supported';
        }
    }
    return null;
}

function plainData(data) {
    return Array.isArray(data) &&
        data.every(row => Array.isArray(row) && row.every(f => typeof f === 'string'));
}

const out = {cases: [], excluded: []};
const suites = [['core', context.CORE_PARSER_TESTS], ['parse', context.PARSE_TESTS]];
for (const [suite, tests] of suites) {
    if (!Array.isArray(tests))
        throw new Error('test-cases.js no longer defines the ' + suite + ' array');
    for (const t of tests) {
        let reason = null;
        if (t.disabled)
            reason = 'disabled upstream';
        else if (typeof t.input !== 'string')
            reason = 'input is not a string';
        else
            reason = unsupported(t.config);
        if (reason === null && !plainData(t.expected && t.expected.data))
            reason = 'expected data is not rows of strings';
        if (reason !== null) {
            out.excluded.push({suite: suite, description: t.description, reason: reason});
            continue;
        }
        let delimiter = (t.config && t.config.delimiter) || '';
        if (suite === 'core' && delimiter === '')
            delimiter = ','; /* Papa.Parser does not guess */
        out.cases.push({
            suite: suite,
            description: t.description,
            input: t.input,
            delimiter: delimiter,
            data: t.expected.data,
            errors: (t.expected.errors || []).map(e => ({type: e.type, code: e.code, row: e.row})),
        });
    }
}
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
