import {createSvgRenderer} from './dist/lib/handbook/svg.js'
const t0 = Date.now()
const mb = () => (process.memoryUsage.rss() / 2**20).toFixed(0)
const log = (...a) => console.log(((Date.now() - t0) / 1000).toFixed(1), 'rss', mb(), ...a)
const r = createSvgRenderer({maxRssBytes: 1, minGrowthBytes: 0, onEvent: (e) => log(JSON.stringify(e))})
for (let i = 0; i < 3; i++) log((await r.render('a -> b\n')).length)
const c = Date.now(); await r.close(); log('closed in', Date.now() - c)
console.log('maxRSS', process.resourceUsage().maxRSS / 1024)
