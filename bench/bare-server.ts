/**
 * The baseline of P8: a bare Express route doing the least a page-view endpoint can (parse the
 * small JSON body, answer 202), in its own Node process like the API.
 */
import express from 'express';

const app = express();
app.post('/t/pageview', express.json({ limit: '16kb' }), (_req, res) => {
  res.status(202).json({ accepted: true });
});
app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('"bare listening"'));
