// Express: mount the middleware before the routes. Its metrics go to the
// default registry, the one `OTEL_METRICS_EXPORTER=prometheus` serves.
import express from 'express';
import { tryGetTenantContext } from 'sightline';
import { sightlineExpress } from 'sightline/express';

const app = express();

app.use(
  sightlineExpress({
    // req.auth is where express-jwt / express-oauth2-jwt-bearer put VERIFIED claims.
    tenant: { claim: 'org_id' },
    user: { claim: 'sub' },
    ignorePaths: ['/healthz', '/metrics'],
  }),
);

const orders = express.Router();
orders.get('/:id', (request, response) => {
  // The tenant is in the context: every span created here carries tenant.id.
  response.json({ id: request.params.id, tenant: tryGetTenantContext()?.tenantId });
});
app.use('/orders', orders); // recorded as http_route="/orders/:id"

app.listen(3000);
