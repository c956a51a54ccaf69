'use strict';
// The outgoing GET every bench app makes per request: node:http, the body parsed as JSON.
const http = require('node:http');

module.exports = function getJson(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, (upstream) => {
        let body = '';
        upstream.setEncoding('utf8');
        upstream.on('data', (chunk) => (body += chunk));
        upstream.on('end', () => resolve(JSON.parse(body)));
      })
      .on('error', reject);
  });
};
