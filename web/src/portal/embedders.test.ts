import { describe, expect, it } from 'vitest';
import { sourceMatches } from './embedders.js';

const OWN = 'https://rollcall.example.com';

describe('sourceMatches (frame-ancestors sources)', () => {
  it.each([
    ["'self'", OWN, true],
    ["'self'", 'https://app.example.com', false],
    ["'none'", OWN, false],
    ['https:', 'https://anything.test', true],
    ['https:', 'http://anything.test', false],
    ['https://app.example.com', 'https://app.example.com', true],
    ['https://app.example.com', 'https://app.example.com:443', true],
    ['https://app.example.com', 'https://app.example.com:8443', false],
    ['https://app.example.com', 'http://app.example.com', false],
    ['https://app.example.com', 'https://evil-app.example.com', false],
    ['https://app.example.com', 'https://app.example.com.evil.test', false],
    ['https://*.example.com', 'https://eu.example.com', true],
    ['https://*.example.com', 'https://example.com', false],
    ['https://*.example.com', 'https://evilexample.com', false],
    ['http://localhost:*', 'http://localhost:5173', true],
    ['http://localhost:*', 'http://127.0.0.1:5173', false],
    ['http://localhost:3000', 'http://localhost:3001', false],
    ['https://APP.example.com', 'https://app.example.com', true],
    ['https://app.example.com', 'null', false],
  ])('%s vs %s → %s', (source, origin, expected) => {
    expect(sourceMatches(source, origin, OWN)).toBe(expected);
  });
});
