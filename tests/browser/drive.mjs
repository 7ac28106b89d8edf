// Serves a built app from a directory on 127.0.0.1 and walks through it in headless
// Chromium with Playwright, the way a person would: open the home page, open a route loaded
// by `import()` twice, another route, follow a link to a second page and open a route there.
// Writes what it saw as JSON to stdout (tests/browser.rs checks it): the page after each
// step, every request the server answered, and every error the pages reported.
//
// node drive.mjs TOOLS_DIR DIST_DIR CHROMIUM

import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const [toolsDir, distDir, chromiumPath] = process.argv.slice(2);
const { chromium } = createRequire(join(toolsDir, 'package.json'))('playwright-core');

const types = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json' };
const requests = [];
const server = createServer(async (request, response) => {
	const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname));
	requests.push(path);
	try {
		const body = await readFile(join(distDir, path));
		// Content-hashed chunks never change: the browser keeps them, as a CDN would.
		const immutable = /-[a-z2-7]{8}\.js$/.test(path);
		response.writeHead(200, {
			'content-type': types[extname(path)] ?? 'application/octet-stream',
			'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
		});
		response.end(body);
	} catch {
		response.writeHead(404).end();
	}
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
	executablePath: chromiumPath,
	// The machine's network is closed: no background connections, no sandbox as root.
	args: [
		'--no-sandbox',
		'--disable-gpu',
		'--disable-quic',
		'--no-first-run',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync',
	],
});
const report = { steps: [], requests, errors: [] };
try {
	const page = await browser.newPage();
	page.on('pageerror', (error) => report.errors.push(`page error: ${error.message}`));
	page.on('console', (message) => {
		if (message.type() === 'error') report.errors.push(`console error: ${message.text()}`);
	});
	page.on('requestfailed', (request) => report.errors.push(`failed: ${request.url()}`));
	// Each step waits for the page's title: the heading and how many views the page's one
	// shared state counted.
	const step = async (name, title) => {
		await page
			.waitForFunction((title) => document.title === title, title, { timeout: 10_000 })
			.catch(() => report.errors.push(`${name}: the title never became "${title}"`));
		report.steps.push({
			name,
			title: await page.title(),
			text: await page.locator('#app').innerText(),
			requests: requests.length,
		});
	};
	await page.goto(`${origin}/index.html`);
	await step('home', 'Home (1)');
	await page.click('#open-settings');
	await step('settings', 'Settings (2)');
	await page.click('#open-settings');
	await step('settings again', 'Settings (3)');
	await page.click('#open-help');
	await step('help', 'Help (4)');
	await page.click('#to-about');
	await step('about', 'About (1)');
	await page.click('#open-help');
	await step('help on about', 'Help (2)');
} finally {
	await browser.close();
	server.close();
}
process.stdout.write(JSON.stringify(report, null, 2) + '\n');
