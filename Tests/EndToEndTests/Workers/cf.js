// cf.js: answers with request.cf, which the operator sets with --cf (or an empty object).
export default { fetch: (request) => Response.json({ cf: request.cf, frozen: Object.isFrozen(request.cf) }) };
