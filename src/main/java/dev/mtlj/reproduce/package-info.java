/** API. {@code mtlj reproduce}: the papers' experiments as ordinary seeded runs with reports and charts. */
package dev.mtlj.reproduce;
