/// The OpenAPI 3.1 description of every endpoint, served at `/openapi.json`.
enum OpenAPIDocument {
    static let json = #"""
{
 "openapi": "3.1.0",
 "info": {
  "title": "Logintoo",
  "version": "1",
  "summary": "Passwordless OAuth 2.1 / OpenID Connect authorization server.",
  "description": "Every endpoint of a Logintoo server. Errors of OAuth endpoints follow RFC 6749 §5.2; pages answer people with HTML."
 },
 "servers": [
  {
   "url": "/"
  }
 ],
 "paths": {
  "/": {
   "get": {
    "summary": "The demo, or the original Logintoo login URL (`?client_id=…`) sent on to /authorize.",
    "parameters": [
     {
      "name": "client_id",
      "in": "query",
      "required": false,
      "description": "Original Logintoo login URL",
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "303": {
      "description": "To /demo or /authorize.",
      "headers": {
       "Location": {
        "schema": {
         "type": "string"
        },
        "required": true
       }
      }
     },
     "400": {
      "description": "The request cannot continue: a page explains why; nothing changed.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "No such page.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "503": {
      "description": "The database is unreachable; nothing changed.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/.well-known/jwks.json": {
   "get": {
    "summary": "The public signing keys.",
    "tags": [
     "Discovery"
    ],
    "responses": {
     "200": {
      "description": "JWK Set.",
      "content": {
       "application/jwk-set+json": {
        "schema": {
         "$ref": "#/components/schemas/JWKS"
        }
       }
      }
     }
    }
   },
   "options": {
    "responses": {
     "204": {
      "description": "CORS preflight answer."
     }
    },
    "summary": "CORS preflight."
   }
  },
  "/.well-known/oauth-authorization-server": {
   "get": {
    "summary": "RFC 8414 metadata (the same document).",
    "tags": [
     "Discovery"
    ],
    "responses": {
     "200": {
      "description": "Metadata.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Metadata"
        }
       }
      }
     }
    }
   },
   "options": {
    "responses": {
     "204": {
      "description": "CORS preflight answer."
     }
    },
    "summary": "CORS preflight."
   }
  },
  "/.well-known/openid-configuration": {
   "get": {
    "summary": "OpenID Connect Discovery metadata.",
    "tags": [
     "Discovery"
    ],
    "responses": {
     "200": {
      "description": "Metadata.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Metadata"
        }
       }
      }
     }
    }
   },
   "options": {
    "responses": {
     "204": {
      "description": "CORS preflight answer."
     }
    },
    "summary": "CORS preflight."
   }
  },
  "/2020-11/auth": {
   "post": {
    "summary": "Email a one-time code (same answer for every address).",
    "tags": [
     "Logintoo JSON API"
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "client_id",
         "code_challenge",
         "code_challenge_method",
         "email",
         "redirect_uri",
         "response_type",
         "state"
        ],
        "properties": {
         "client_id": {
          "type": "string",
          "format": "uuid"
         },
         "code_challenge": {
          "type": "string"
         },
         "code_challenge_method": {
          "type": "string",
          "enum": [
           "S256"
          ]
         },
         "email": {
          "type": "string",
          "format": "email"
         },
         "redirect_uri": {
          "type": "string",
          "format": "uri"
         },
         "response_type": {
          "type": "string",
          "enum": [
           "code"
          ]
         },
         "state": {
          "type": "string"
         },
         "language": {
          "type": "string"
         },
         "locale": {
          "type": "string"
         }
        }
       }
      },
      "text/plain": {
       "schema": {
        "type": "object",
        "required": [
         "client_id",
         "code_challenge",
         "code_challenge_method",
         "email",
         "redirect_uri",
         "response_type",
         "state"
        ],
        "properties": {
         "client_id": {
          "type": "string",
          "format": "uuid"
         },
         "code_challenge": {
          "type": "string"
         },
         "code_challenge_method": {
          "type": "string",
          "enum": [
           "S256"
          ]
         },
         "email": {
          "type": "string",
          "format": "email"
         },
         "redirect_uri": {
          "type": "string",
          "format": "uri"
         },
         "response_type": {
          "type": "string",
          "enum": [
           "code"
          ]
         },
         "state": {
          "type": "string"
         },
         "language": {
          "type": "string"
         },
         "locale": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Accepted.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooStatus"
        }
       }
      }
     },
     "400": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "401": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "403": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "413": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "503": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     }
    }
   },
   "options": {
    "responses": {
     "204": {
      "description": "CORS preflight answer."
     }
    },
    "summary": "CORS preflight."
   }
  },
  "/2020-11/otp": {
   "post": {
    "summary": "Check a one-time code; redirects to the client with an authorization code.",
    "tags": [
     "Logintoo JSON API"
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "client_id",
         "code_challenge",
         "email",
         "otp"
        ],
        "properties": {
         "client_id": {
          "type": "string"
         },
         "code_challenge": {
          "type": "string"
         },
         "email": {
          "type": "string"
         },
         "otp": {
          "type": "string"
         }
        }
       }
      },
      "text/plain": {
       "schema": {
        "type": "object",
        "required": [
         "client_id",
         "code_challenge",
         "email",
         "otp"
        ],
        "properties": {
         "client_id": {
          "type": "string"
         },
         "code_challenge": {
          "type": "string"
         },
         "email": {
          "type": "string"
         },
         "otp": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "302": {
      "description": "Signed in.",
      "headers": {
       "Location": {
        "schema": {
         "type": "string"
        }
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "400": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "401": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "403": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "413": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "503": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     }
    }
   },
   "options": {
    "responses": {
     "204": {
      "description": "CORS preflight answer."
     }
    },
    "summary": "CORS preflight."
   }
  },
  "/2020-11/token": {
   "post": {
    "summary": "Exchange an authorization code.",
    "tags": [
     "Logintoo JSON API"
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "properties": {
         "grant_type": {
          "type": "string"
         },
         "code": {
          "type": "string"
         },
         "redirect_uri": {
          "type": "string"
         },
         "client_id": {
          "type": "string"
         },
         "code_verifier": {
          "type": "string"
         },
         "refresh_token": {
          "type": "string"
         }
        }
       }
      },
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "properties": {
         "grant_type": {
          "type": "string"
         },
         "code": {
          "type": "string"
         },
         "redirect_uri": {
          "type": "string"
         },
         "client_id": {
          "type": "string"
         },
         "code_verifier": {
          "type": "string"
         },
         "refresh_token": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Tokens.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooTokens"
        }
       }
      }
     },
     "400": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "401": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "403": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "413": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "503": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     }
    }
   },
   "patch": {
    "summary": "Rotate a refresh token.",
    "tags": [
     "Logintoo JSON API"
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "properties": {
         "grant_type": {
          "type": "string"
         },
         "code": {
          "type": "string"
         },
         "redirect_uri": {
          "type": "string"
         },
         "client_id": {
          "type": "string"
         },
         "code_verifier": {
          "type": "string"
         },
         "refresh_token": {
          "type": "string"
         }
        }
       }
      },
      "text/plain": {
       "schema": {
        "type": "object",
        "properties": {
         "grant_type": {
          "type": "string"
         },
         "code": {
          "type": "string"
         },
         "redirect_uri": {
          "type": "string"
         },
         "client_id": {
          "type": "string"
         },
         "code_verifier": {
          "type": "string"
         },
         "refresh_token": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Tokens.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooTokens"
        }
       }
      }
     },
     "400": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "401": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "403": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "413": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "503": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     }
    }
   },
   "delete": {
    "summary": "Revoke a refresh token's grant.",
    "tags": [
     "Logintoo JSON API"
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "properties": {
         "grant_type": {
          "type": "string"
         },
         "code": {
          "type": "string"
         },
         "redirect_uri": {
          "type": "string"
         },
         "client_id": {
          "type": "string"
         },
         "code_verifier": {
          "type": "string"
         },
         "refresh_token": {
          "type": "string"
         }
        }
       }
      },
      "text/plain": {
       "schema": {
        "type": "object",
        "properties": {
         "grant_type": {
          "type": "string"
         },
         "code": {
          "type": "string"
         },
         "redirect_uri": {
          "type": "string"
         },
         "client_id": {
          "type": "string"
         },
         "code_verifier": {
          "type": "string"
         },
         "refresh_token": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Revoked (also when already revoked).",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooStatus"
        }
       }
      }
     },
     "400": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "401": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "403": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "413": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "503": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     }
    }
   },
   "options": {
    "responses": {
     "204": {
      "description": "CORS preflight answer."
     }
    },
    "summary": "CORS preflight."
   }
  },
  "/2026-06/auth": {
   "post": {
    "summary": "Email a one-time code (same answer for every address).",
    "tags": [
     "Logintoo JSON API"
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "client_id",
         "code_challenge",
         "code_challenge_method",
         "email",
         "redirect_uri",
         "response_type",
         "state"
        ],
        "properties": {
         "client_id": {
          "type": "string",
          "format": "uuid"
         },
         "code_challenge": {
          "type": "string"
         },
         "code_challenge_method": {
          "type": "string",
          "enum": [
           "S256"
          ]
         },
         "email": {
          "type": "string",
          "format": "email"
         },
         "redirect_uri": {
          "type": "string",
          "format": "uri"
         },
         "response_type": {
          "type": "string",
          "enum": [
           "code"
          ]
         },
         "state": {
          "type": "string"
         },
         "language": {
          "type": "string"
         },
         "locale": {
          "type": "string"
         }
        }
       }
      },
      "text/plain": {
       "schema": {
        "type": "object",
        "required": [
         "client_id",
         "code_challenge",
         "code_challenge_method",
         "email",
         "redirect_uri",
         "response_type",
         "state"
        ],
        "properties": {
         "client_id": {
          "type": "string",
          "format": "uuid"
         },
         "code_challenge": {
          "type": "string"
         },
         "code_challenge_method": {
          "type": "string",
          "enum": [
           "S256"
          ]
         },
         "email": {
          "type": "string",
          "format": "email"
         },
         "redirect_uri": {
          "type": "string",
          "format": "uri"
         },
         "response_type": {
          "type": "string",
          "enum": [
           "code"
          ]
         },
         "state": {
          "type": "string"
         },
         "language": {
          "type": "string"
         },
         "locale": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Accepted.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooStatus"
        }
       }
      }
     },
     "400": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "401": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "403": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "413": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "503": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     }
    }
   },
   "options": {
    "responses": {
     "204": {
      "description": "CORS preflight answer."
     }
    },
    "summary": "CORS preflight."
   }
  },
  "/2026-06/jwks": {
   "get": {
    "summary": "The public signing keys (Logintoo JSON API path).",
    "tags": [
     "Logintoo JSON API"
    ],
    "responses": {
     "200": {
      "description": "JWK Set.",
      "content": {
       "application/jwk-set+json": {
        "schema": {
         "$ref": "#/components/schemas/JWKS"
        }
       }
      }
     }
    }
   },
   "options": {
    "responses": {
     "204": {
      "description": "CORS preflight answer."
     }
    },
    "summary": "CORS preflight."
   }
  },
  "/2026-06/otp": {
   "post": {
    "summary": "Check a one-time code; redirects to the client with an authorization code.",
    "tags": [
     "Logintoo JSON API"
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "client_id",
         "code_challenge",
         "email",
         "otp"
        ],
        "properties": {
         "client_id": {
          "type": "string"
         },
         "code_challenge": {
          "type": "string"
         },
         "email": {
          "type": "string"
         },
         "otp": {
          "type": "string"
         }
        }
       }
      },
      "text/plain": {
       "schema": {
        "type": "object",
        "required": [
         "client_id",
         "code_challenge",
         "email",
         "otp"
        ],
        "properties": {
         "client_id": {
          "type": "string"
         },
         "code_challenge": {
          "type": "string"
         },
         "email": {
          "type": "string"
         },
         "otp": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "302": {
      "description": "Signed in.",
      "headers": {
       "Location": {
        "schema": {
         "type": "string"
        }
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "400": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "401": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "403": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "413": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "503": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     }
    }
   },
   "options": {
    "responses": {
     "204": {
      "description": "CORS preflight answer."
     }
    },
    "summary": "CORS preflight."
   }
  },
  "/2026-06/token": {
   "post": {
    "summary": "Exchange an authorization code.",
    "tags": [
     "Logintoo JSON API"
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "properties": {
         "grant_type": {
          "type": "string"
         },
         "code": {
          "type": "string"
         },
         "redirect_uri": {
          "type": "string"
         },
         "client_id": {
          "type": "string"
         },
         "code_verifier": {
          "type": "string"
         },
         "refresh_token": {
          "type": "string"
         }
        }
       }
      },
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "properties": {
         "grant_type": {
          "type": "string"
         },
         "code": {
          "type": "string"
         },
         "redirect_uri": {
          "type": "string"
         },
         "client_id": {
          "type": "string"
         },
         "code_verifier": {
          "type": "string"
         },
         "refresh_token": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Tokens.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooTokens"
        }
       }
      }
     },
     "400": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "401": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "403": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "413": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "503": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     }
    }
   },
   "patch": {
    "summary": "Rotate a refresh token.",
    "tags": [
     "Logintoo JSON API"
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "properties": {
         "grant_type": {
          "type": "string"
         },
         "code": {
          "type": "string"
         },
         "redirect_uri": {
          "type": "string"
         },
         "client_id": {
          "type": "string"
         },
         "code_verifier": {
          "type": "string"
         },
         "refresh_token": {
          "type": "string"
         }
        }
       }
      },
      "text/plain": {
       "schema": {
        "type": "object",
        "properties": {
         "grant_type": {
          "type": "string"
         },
         "code": {
          "type": "string"
         },
         "redirect_uri": {
          "type": "string"
         },
         "client_id": {
          "type": "string"
         },
         "code_verifier": {
          "type": "string"
         },
         "refresh_token": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Tokens.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooTokens"
        }
       }
      }
     },
     "400": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "401": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "403": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "413": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "503": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     }
    }
   },
   "delete": {
    "summary": "Revoke a refresh token's grant.",
    "tags": [
     "Logintoo JSON API"
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "properties": {
         "grant_type": {
          "type": "string"
         },
         "code": {
          "type": "string"
         },
         "redirect_uri": {
          "type": "string"
         },
         "client_id": {
          "type": "string"
         },
         "code_verifier": {
          "type": "string"
         },
         "refresh_token": {
          "type": "string"
         }
        }
       }
      },
      "text/plain": {
       "schema": {
        "type": "object",
        "properties": {
         "grant_type": {
          "type": "string"
         },
         "code": {
          "type": "string"
         },
         "redirect_uri": {
          "type": "string"
         },
         "client_id": {
          "type": "string"
         },
         "code_verifier": {
          "type": "string"
         },
         "refresh_token": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Revoked (also when already revoked).",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooStatus"
        }
       }
      }
     },
     "400": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "401": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "403": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "413": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     },
     "503": {
      "description": "Error of the Logintoo JSON API.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LogintooError"
        }
       }
      }
     }
    }
   },
   "options": {
    "responses": {
     "204": {
      "description": "CORS preflight answer."
     }
    },
    "summary": "CORS preflight."
   }
  },
  "/assets/login.css": {
   "get": {
    "summary": "The login pages' style sheet.",
    "tags": [
     "Login pages"
    ],
    "responses": {
     "200": {
      "description": "CSS.",
      "content": {
       "text/css": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/authorize": {
   "get": {
    "summary": "Start a sign-in (authorization code flow with PKCE S256).",
    "tags": [
     "OAuth"
    ],
    "parameters": [
     {
      "name": "response_type",
      "in": "query",
      "required": false,
      "description": "code",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "client_id",
      "in": "query",
      "required": false,
      "description": "Registered client",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "redirect_uri",
      "in": "query",
      "required": false,
      "description": "Exactly as registered",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "scope",
      "in": "query",
      "required": false,
      "description": "openid email offline_access",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "state",
      "in": "query",
      "required": false,
      "description": "Opaque to the server",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "nonce",
      "in": "query",
      "required": false,
      "description": "Copied into the ID token",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "code_challenge",
      "in": "query",
      "required": false,
      "description": "BASE64URL(SHA-256(verifier))",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "code_challenge_method",
      "in": "query",
      "required": false,
      "description": "S256",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "prompt",
      "in": "query",
      "required": false,
      "description": "none or login",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "ui_locales",
      "in": "query",
      "required": false,
      "description": "Preferred languages",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "resource",
      "in": "query",
      "required": false,
      "description": "RFC 8707 API identifier",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "login_hint",
      "in": "query",
      "required": false,
      "description": "An email address",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "max_age",
      "in": "query",
      "required": false,
      "description": "Seconds",
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "303": {
      "description": "To the login page, or back to the client with `code` or `error`, and `iss`.",
      "headers": {
       "Location": {
        "schema": {
         "type": "string"
        },
        "required": true
       }
      }
     },
     "400": {
      "description": "The request cannot continue: a page explains why; nothing changed.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "No such page.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "503": {
      "description": "The database is unreachable; nothing changed.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/demo": {
   "get": {
    "summary": "The demo client (with --demo).",
    "tags": [
     "Demo"
    ],
    "responses": {
     "200": {
      "description": "The demo page.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "Demo off.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/demo/api/me": {
   "get": {
    "summary": "Who the token is for.",
    "tags": [
     "Demo"
    ],
    "security": [
     {
      "bearer": []
     }
    ],
    "responses": {
     "200": {
      "description": "The token's subject.",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "401": {
      "description": "No valid access token for the demo API.",
      "headers": {
       "WWW-Authenticate": {
        "schema": {
         "type": "string"
        },
        "required": true
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "403": {
      "description": "The token lacks a scope.",
      "headers": {
       "WWW-Authenticate": {
        "schema": {
         "type": "string"
        },
        "required": true
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "404": {
      "description": "Demo off, or no such note.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       },
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/demo/api/notes": {
   "get": {
    "summary": "The caller's notes.",
    "tags": [
     "Demo"
    ],
    "security": [
     {
      "bearer": []
     }
    ],
    "responses": {
     "200": {
      "description": "Notes.",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "401": {
      "description": "No valid access token for the demo API.",
      "headers": {
       "WWW-Authenticate": {
        "schema": {
         "type": "string"
        },
        "required": true
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "403": {
      "description": "The token lacks a scope.",
      "headers": {
       "WWW-Authenticate": {
        "schema": {
         "type": "string"
        },
        "required": true
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "404": {
      "description": "Demo off, or no such note.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       },
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   },
   "post": {
    "summary": "Add a note.",
    "tags": [
     "Demo"
    ],
    "security": [
     {
      "bearer": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "text"
        ],
        "properties": {
         "text": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "201": {
      "description": "The note.",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "400": {
      "description": "Bad note.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Too many notes.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "No valid access token for the demo API.",
      "headers": {
       "WWW-Authenticate": {
        "schema": {
         "type": "string"
        },
        "required": true
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "403": {
      "description": "The token lacks a scope.",
      "headers": {
       "WWW-Authenticate": {
        "schema": {
         "type": "string"
        },
        "required": true
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "404": {
      "description": "Demo off, or no such note.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       },
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/demo/api/notes/{id}": {
   "delete": {
    "summary": "Delete a note.",
    "tags": [
     "Demo"
    ],
    "security": [
     {
      "bearer": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "204": {
      "description": "Deleted."
     },
     "401": {
      "description": "No valid access token for the demo API.",
      "headers": {
       "WWW-Authenticate": {
        "schema": {
         "type": "string"
        },
        "required": true
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "403": {
      "description": "The token lacks a scope.",
      "headers": {
       "WWW-Authenticate": {
        "schema": {
         "type": "string"
        },
        "required": true
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "404": {
      "description": "Demo off, or no such note.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       },
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/demo/app.js": {
   "get": {
    "summary": "The demo client's script.",
    "tags": [
     "Demo"
    ],
    "responses": {
     "200": {
      "description": "JavaScript.",
      "content": {
       "text/javascript": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "Demo off.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/healthz": {
   "get": {
    "summary": "Alive.",
    "tags": [
     "Operations"
    ],
    "responses": {
     "200": {
      "description": "ok",
      "content": {
       "text/plain": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/introspect": {
   "post": {
    "summary": "RFC 7662 introspection, for confidential clients.",
    "tags": [
     "OAuth"
    ],
    "security": [
     {
      "clientSecretBasic": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "required": [
         "token"
        ],
        "properties": {
         "token": {
          "type": "string"
         },
         "token_type_hint": {
          "type": "string"
         },
         "client_id": {
          "type": "string"
         },
         "client_secret": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Whether the token is active, and its claims when it is.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Introspection"
        }
       }
      }
     },
     "400": {
      "description": "RFC 6749 §5.2 error.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/OAuthError"
        }
       }
      }
     },
     "401": {
      "description": "Client authentication failed (`invalid_client`).",
      "headers": {
       "WWW-Authenticate": {
        "schema": {
         "type": "string"
        }
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/OAuthError"
        }
       }
      }
     },
     "413": {
      "description": "The body is larger than 16 KiB.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/OAuthError"
        }
       }
      }
     },
     "415": {
      "description": "The body is not application/x-www-form-urlencoded.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/OAuthError"
        }
       }
      }
     },
     "503": {
      "description": "`temporarily_unavailable`: the database is unreachable; nothing changed.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/OAuthError"
        }
       }
      }
     }
    }
   }
  },
  "/login": {
   "get": {
    "summary": "The hosted email or code page of a sign-in.",
    "tags": [
     "Login pages"
    ],
    "parameters": [
     {
      "name": "tx",
      "in": "query",
      "required": false,
      "description": "The sign-in",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "sent",
      "in": "query",
      "required": false,
      "description": "1 after a code was sent",
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "The page.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "303": {
      "description": "On to /authorize (original Logintoo URLs).",
      "headers": {
       "Location": {
        "schema": {
         "type": "string"
        },
        "required": true
       }
      }
     },
     "400": {
      "description": "The request cannot continue: a page explains why; nothing changed.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "No such page.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "503": {
      "description": "The database is unreachable; nothing changed.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/login/code": {
   "post": {
    "summary": "Check a code.",
    "tags": [
     "Login pages"
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "required": [
         "tx",
         "csrf"
        ],
        "properties": {
         "tx": {
          "type": "string"
         },
         "csrf": {
          "type": "string"
         },
         "code": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "303": {
      "description": "On to the next page of the sign-in.",
      "headers": {
       "Location": {
        "schema": {
         "type": "string"
        },
        "required": true
       }
      }
     },
     "400": {
      "description": "The request cannot continue: a page explains why; nothing changed.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "No such page.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "503": {
      "description": "The database is unreachable; nothing changed.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "403": {
      "description": "The account is disabled.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "429": {
      "description": "Too many wrong codes for this account.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/login/email": {
   "post": {
    "summary": "Send a code to an address.",
    "tags": [
     "Login pages"
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "required": [
         "tx",
         "csrf"
        ],
        "properties": {
         "tx": {
          "type": "string"
         },
         "csrf": {
          "type": "string"
         },
         "email": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "303": {
      "description": "On to the next page of the sign-in.",
      "headers": {
       "Location": {
        "schema": {
         "type": "string"
        },
        "required": true
       }
      }
     },
     "400": {
      "description": "The request cannot continue: a page explains why; nothing changed.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "No such page.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "503": {
      "description": "The database is unreachable; nothing changed.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/login/resend": {
   "post": {
    "summary": "Send a new code.",
    "tags": [
     "Login pages"
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "required": [
         "tx",
         "csrf"
        ],
        "properties": {
         "tx": {
          "type": "string"
         },
         "csrf": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "303": {
      "description": "On to the next page of the sign-in.",
      "headers": {
       "Location": {
        "schema": {
         "type": "string"
        },
        "required": true
       }
      }
     },
     "400": {
      "description": "The request cannot continue: a page explains why; nothing changed.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "No such page.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "503": {
      "description": "The database is unreachable; nothing changed.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/login/restart": {
   "post": {
    "summary": "Use another address.",
    "tags": [
     "Login pages"
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "required": [
         "tx",
         "csrf"
        ],
        "properties": {
         "tx": {
          "type": "string"
         },
         "csrf": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "303": {
      "description": "On to the next page of the sign-in.",
      "headers": {
       "Location": {
        "schema": {
         "type": "string"
        },
        "required": true
       }
      }
     },
     "400": {
      "description": "The request cannot continue: a page explains why; nothing changed.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "No such page.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "503": {
      "description": "The database is unreachable; nothing changed.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/logout": {
   "get": {
    "summary": "RP-initiated logout.",
    "tags": [
     "OAuth"
    ],
    "parameters": [
     {
      "name": "id_token_hint",
      "in": "query",
      "required": false,
      "description": "An ID token",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "client_id",
      "in": "query",
      "required": false,
      "description": "The client",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "post_logout_redirect_uri",
      "in": "query",
      "required": false,
      "description": "Registered for the client",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "state",
      "in": "query",
      "required": false,
      "description": "Returned",
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "Signed out, or a confirmation form.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "303": {
      "description": "To the registered URI.",
      "headers": {
       "Location": {
        "schema": {
         "type": "string"
        },
        "required": true
       }
      }
     },
     "400": {
      "description": "The request cannot continue: a page explains why; nothing changed.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "No such page.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "503": {
      "description": "The database is unreachable; nothing changed.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   },
   "post": {
    "summary": "Confirm a logout.",
    "tags": [
     "OAuth"
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "properties": {
         "csrf": {
          "type": "string"
         },
         "client_id": {
          "type": "string"
         },
         "post_logout_redirect_uri": {
          "type": "string"
         },
         "state": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Signed out.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "303": {
      "description": "To the registered URI.",
      "headers": {
       "Location": {
        "schema": {
         "type": "string"
        },
        "required": true
       }
      }
     },
     "400": {
      "description": "The request cannot continue: a page explains why; nothing changed.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "No such page.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "503": {
      "description": "The database is unreachable; nothing changed.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/metrics": {
   "get": {
    "summary": "Prometheus metrics (here unless an admin listener serves them).",
    "tags": [
     "Operations"
    ],
    "responses": {
     "200": {
      "description": "Prometheus text format.",
      "content": {
       "text/plain": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/openapi.json": {
   "get": {
    "summary": "This document.",
    "tags": [
     "Discovery"
    ],
    "responses": {
     "200": {
      "description": "OpenAPI 3.1 document.",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     }
    }
   }
  },
  "/readyz": {
   "get": {
    "summary": "Ready: database reachable and migrated, not shutting down.",
    "tags": [
     "Operations"
    ],
    "responses": {
     "200": {
      "description": "ready",
      "content": {
       "text/plain": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "503": {
      "description": "not ready",
      "content": {
       "text/plain": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/revoke": {
   "post": {
    "summary": "RFC 7009 revocation.",
    "tags": [
     "OAuth"
    ],
    "security": [
     {},
     {
      "clientSecretBasic": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "required": [
         "token"
        ],
        "properties": {
         "token": {
          "type": "string"
         },
         "token_type_hint": {
          "type": "string"
         },
         "client_id": {
          "type": "string"
         },
         "client_secret": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Revoked, or nothing to revoke."
     },
     "400": {
      "description": "RFC 6749 §5.2 error.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/OAuthError"
        }
       }
      }
     },
     "401": {
      "description": "Client authentication failed (`invalid_client`).",
      "headers": {
       "WWW-Authenticate": {
        "schema": {
         "type": "string"
        }
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/OAuthError"
        }
       }
      }
     },
     "413": {
      "description": "The body is larger than 16 KiB.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/OAuthError"
        }
       }
      }
     },
     "415": {
      "description": "The body is not application/x-www-form-urlencoded.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/OAuthError"
        }
       }
      }
     },
     "503": {
      "description": "`temporarily_unavailable`: the database is unreachable; nothing changed.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/OAuthError"
        }
       }
      }
     }
    }
   },
   "options": {
    "responses": {
     "204": {
      "description": "CORS preflight answer."
     }
    },
    "summary": "CORS preflight."
   }
  },
  "/token": {
   "post": {
    "summary": "Token endpoint: authorization_code and refresh_token grants.",
    "tags": [
     "OAuth"
    ],
    "security": [
     {},
     {
      "clientSecretBasic": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "required": [
         "grant_type"
        ],
        "properties": {
         "grant_type": {
          "type": "string",
          "enum": [
           "authorization_code",
           "refresh_token"
          ]
         },
         "code": {
          "type": "string"
         },
         "redirect_uri": {
          "type": "string"
         },
         "code_verifier": {
          "type": "string"
         },
         "refresh_token": {
          "type": "string"
         },
         "client_id": {
          "type": "string"
         },
         "client_secret": {
          "type": "string"
         },
         "scope": {
          "type": "string"
         },
         "resource": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Tokens.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/TokenResponse"
        }
       }
      }
     },
     "400": {
      "description": "RFC 6749 §5.2 error.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/OAuthError"
        }
       }
      }
     },
     "401": {
      "description": "Client authentication failed (`invalid_client`).",
      "headers": {
       "WWW-Authenticate": {
        "schema": {
         "type": "string"
        }
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/OAuthError"
        }
       }
      }
     },
     "413": {
      "description": "The body is larger than 16 KiB.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/OAuthError"
        }
       }
      }
     },
     "415": {
      "description": "The body is not application/x-www-form-urlencoded.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/OAuthError"
        }
       }
      }
     },
     "503": {
      "description": "`temporarily_unavailable`: the database is unreachable; nothing changed.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/OAuthError"
        }
       }
      }
     }
    }
   },
   "options": {
    "responses": {
     "204": {
      "description": "CORS preflight answer."
     }
    },
    "summary": "CORS preflight."
   }
  },
  "/userinfo": {
   "get": {
    "summary": "OpenID Connect UserInfo.",
    "tags": [
     "OAuth"
    ],
    "security": [
     {
      "bearer": []
     }
    ],
    "responses": {
     "200": {
      "description": "Claims.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/UserInfo"
        }
       }
      }
     },
     "401": {
      "description": "No valid access token.",
      "headers": {
       "WWW-Authenticate": {
        "schema": {
         "type": "string"
        },
        "required": true
       }
      }
     },
     "503": {
      "description": "The database is unreachable."
     }
    }
   },
   "post": {
    "summary": "OpenID Connect UserInfo.",
    "tags": [
     "OAuth"
    ],
    "security": [
     {
      "bearer": []
     }
    ],
    "responses": {
     "200": {
      "description": "Claims.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/UserInfo"
        }
       }
      }
     },
     "401": {
      "description": "No valid access token.",
      "headers": {
       "WWW-Authenticate": {
        "schema": {
         "type": "string"
        },
        "required": true
       }
      }
     },
     "503": {
      "description": "The database is unreachable."
     }
    }
   }
  }
 },
 "components": {
  "schemas": {
   "OAuthError": {
    "type": "object",
    "required": [
     "error"
    ],
    "properties": {
     "error": {
      "type": "string",
      "enum": [
       "invalid_request",
       "invalid_client",
       "invalid_grant",
       "unauthorized_client",
       "unsupported_grant_type",
       "invalid_scope",
       "invalid_target",
       "unsupported_token_type",
       "temporarily_unavailable",
       "server_error"
      ]
     },
     "error_description": {
      "type": "string"
     }
    }
   },
   "TokenResponse": {
    "type": "object",
    "required": [
     "access_token",
     "token_type",
     "expires_in"
    ],
    "properties": {
     "access_token": {
      "type": "string"
     },
     "token_type": {
      "type": "string",
      "enum": [
       "Bearer"
      ]
     },
     "expires_in": {
      "type": "integer"
     },
     "refresh_token": {
      "type": "string"
     },
     "id_token": {
      "type": "string"
     },
     "scope": {
      "type": "string"
     }
    }
   },
   "Introspection": {
    "type": "object",
    "required": [
     "active"
    ],
    "properties": {
     "active": {
      "type": "boolean"
     },
     "scope": {
      "type": "string"
     },
     "client_id": {
      "type": "string"
     },
     "sub": {
      "type": "string"
     },
     "exp": {
      "type": "integer"
     },
     "iat": {
      "type": "integer"
     },
     "iss": {
      "type": "string"
     },
     "aud": {
      "type": "string"
     },
     "jti": {
      "type": "string"
     },
     "token_type": {
      "type": "string"
     }
    }
   },
   "UserInfo": {
    "type": "object",
    "required": [
     "sub"
    ],
    "properties": {
     "sub": {
      "type": "string"
     },
     "email": {
      "type": "string"
     },
     "email_verified": {
      "type": "boolean"
     }
    }
   },
   "JWKS": {
    "type": "object",
    "required": [
     "keys"
    ],
    "properties": {
     "keys": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "kty",
        "kid",
        "use",
        "alg"
       ],
       "properties": {
        "kty": {
         "type": "string"
        },
        "kid": {
         "type": "string"
        },
        "use": {
         "const": "sig"
        },
        "alg": {
         "type": "string"
        }
       }
      }
     }
    }
   },
   "Metadata": {
    "type": "object",
    "required": [
     "issuer",
     "authorization_endpoint",
     "token_endpoint",
     "jwks_uri"
    ],
    "properties": {
     "issuer": {
      "type": "string"
     },
     "authorization_endpoint": {
      "type": "string"
     },
     "token_endpoint": {
      "type": "string"
     },
     "jwks_uri": {
      "type": "string"
     }
    }
   },
   "LogintooStatus": {
    "type": "object",
    "properties": {
     "statusCode": {
      "type": "integer"
     },
     "statusMessage": {
      "type": "string"
     }
    }
   },
   "LogintooError": {
    "type": "object",
    "properties": {
     "error": {
      "type": "string"
     },
     "error_description": {
      "type": "string"
     },
     "statusCode": {
      "type": "integer"
     },
     "statusMessage": {
      "type": "string"
     }
    }
   },
   "LogintooTokens": {
    "type": "object",
    "required": [
     "access_token",
     "token_type",
     "expires_in"
    ],
    "properties": {
     "access_token": {
      "type": "string"
     },
     "token_type": {
      "type": "string"
     },
     "expires_in": {
      "type": "integer"
     },
     "refresh_token": {
      "type": "string"
     },
     "exp": {
      "type": "integer"
     },
     "rt_exp": {
      "type": "integer"
     },
     "state": {
      "type": "string"
     },
     "language": {
      "type": "string"
     },
     "locale": {
      "type": "string"
     },
     "statusMessage": {
      "type": "string"
     }
    }
   },
   "Problem": {
    "type": "object",
    "required": [
     "error"
    ],
    "properties": {
     "error": {
      "type": "string"
     }
    }
   }
  },
  "securitySchemes": {
   "clientSecretBasic": {
    "type": "http",
    "scheme": "basic",
    "description": "client_secret_basic"
   },
   "bearer": {
    "type": "http",
    "scheme": "bearer",
    "bearerFormat": "JWT"
   }
  }
 }
}
"""#
}
