/**
 * The baseline of P8: bare Express routes doing the least a page-view or form-submission endpoint
 * can (parse the small JSON body, answer 202), in their own Node process like the API.
 */
import express from 'express';

const app = express();
app.post('/t/pageview', express.json({ limit: '16kb' }), (_req, res) => {
  res.status(202).json({ accepted: true });
});
app.post('/t/forms/:formId/submissions', express.json({ limit: '16kb' }), (_req, res) => {
  res.status(202).json({ accepted: true, submissionId: 'bare' });
});
app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('"bare listening"'));
