"""Quick tests for handler.py. Run them with: python3 -m unittest -v"""
import base64
import json
import unittest

from handler import lambda_handler


def post(body, b64=False, path="/predict"):
    if b64:
        body = base64.b64encode(body.encode()).decode()
    return {"httpMethod": "POST", "path": path, "headers": {}, "body": body, "isBase64Encoded": b64}


class TestContract(unittest.TestCase):
    def call(self, event):
        response = lambda_handler(event, None)
        self.assertIsInstance(response["body"], str, "body must be a JSON string")
        self.assertEqual(response["headers"]["Content-Type"], "application/json")
        self.assertEqual(response["headers"]["X-Model-Version"], "3")
        return response["statusCode"], json.loads(response["body"])

    def test_valid_prediction(self):
        status, body = self.call(post(json.dumps({"height_cm": 180})))
        self.assertEqual(status, 200)
        self.assertEqual(body, {"weight_kg": 73.0, "model_version": "3"})

    def test_base64_body(self):
        status, body = self.call(post(json.dumps({"height_cm": 165}), b64=True))
        self.assertEqual((status, body["weight_kg"]), (200, 58.8))

    def test_limits_are_inclusive(self):
        self.assertEqual(self.call(post('{"height_cm": 50}'))[0], 200)
        self.assertEqual(self.call(post('{"height_cm": 250}'))[0], 200)

    def test_bad_requests_are_400_with_an_error(self):
        for body in ['{"height": 180}', '{"height_cm": "180"}', '{"height_cm": true}',
                     '{"height_cm": 49.9}', '{"height_cm": 9000}', "height_cm=180", "[180]", None]:
            with self.subTest(body=body):
                status, payload = self.call(post(body))
                self.assertEqual(status, 400)
                self.assertIsInstance(payload.get("error"), str)

    def test_health(self):
        status, body = self.call({"httpMethod": "GET", "path": "/health"})
        self.assertEqual((status, body), (200, {"status": "ok", "model_version": "3"}))

    def test_routes(self):
        self.assertEqual(self.call({"httpMethod": "GET", "path": "/predict"})[0], 405)
        self.assertEqual(self.call(post("{}", path="/predictions"))[0], 404)


if __name__ == "__main__":
    unittest.main()
