"""Article bodies of the analysis outlets (South Front, Strategic Culture, Global Research).

Original prose written for the sample web; events are real, wording is not taken from any
published article. Keys are referenced from ``articles``.
"""

from __future__ import annotations

TEXTS: dict[str, tuple[str, ...]] = {
    "sf_karabakh": (
        (
            "The humanitarian ceasefire that Washington announced for Nagorno-Karabakh did not survive "
            "its first morning. The truce was due to take effect at 08:00 local time on October 26, yet "
            "artillery exchanges along the southern front continued without a pause, and by noon both "
            "Yerevan and Baku were publishing statements that blamed the other side for wrecking it."
        ),
        (
            "By the evening the Armenian leadership conceded that the arrangement had failed, while "
            "President Aliyev repeated that any settlement must begin with the withdrawal of Armenian "
            "forces from the districts around the region. The hope in Washington that a telephone "
            "diplomacy campaign in the final week of an election would close the file quickly looks, "
            "in hindsight, badly misjudged."
        ),
        (
            "On the ground the picture has barely changed. Azerbaijani units consolidated around the "
            "town of Qubadli and several villages along the Hakari river valley, and the defence "
            "ministry in Baku released footage of columns moving north along the Iranian border. The "
            "Armenian side acknowledged setbacks in the south but insisted that the front remained "
            "under control."
        ),
        (
            "The strategic prize is the Lachin corridor, the only road that links Armenia proper with "
            "Stepanakert. According to local sources the leading Azerbaijani detachments now stand "
            "roughly a dozen kilometres from the route. Once they secure the high ground they will be "
            "able to keep the road under fire without having to cut it physically, and that would "
            "strangle the supply of fuel, ammunition and reinforcements to the Karabakh forces."
        ),
        (
            "Both ministries continue to publish casualty figures that cannot be checked. Yerevan "
            "claims that its opponent has lost thousands of troops and hundreds of armoured vehicles "
            "and drones; Baku answers with equally large numbers. What the available video does show "
            "is that the offensive has been costly for the attacker, and that the defenders are paying "
            "a similar or higher price."
        ),
        (
            "The diplomatic position of Ankara keeps shifting as well. Only days ago Turkish officials "
            "denied that their F-16 fighters were deployed in Azerbaijan. Now Baku says openly that the "
            "jets will be used if a third country intervenes. The next phase of the war will be decided "
            "by whether Moscow regards that statement as a warning or as a bluff."
        ),
    ),
    "sf_idlib": (
        (
            "Russian aircraft carried out a series of strikes on a training camp run by Turkish-backed "
            "militants in the northern part of Idlib province on October 26. The camp occupied a former "
            "air defence base of the Syrian Arab Army near the village of Al-Duwayla, a site that the "
            "Faylaq al-Sham group has used for more than a year to prepare new recruits."
        ),
        (
            "Local monitors reported that at least seventy fighters were killed and more than a hundred "
            "wounded, which would make the raid one of the deadliest since the March ceasefire agreed "
            "between Moscow and Ankara. Footage published by opposition media showed collapsed "
            "hangars, burning vehicles and ambulances crowding the road towards the Turkish border."
        ),
        (
            "The timing is not accidental. Over the past month several Syrian sources reported that "
            "Turkish intelligence was recruiting fighters in Idlib and Afrin for deployment to the "
            "South Caucasus, where they were allegedly offered monthly salaries several times higher "
            "than what they earn at home. Moscow has repeatedly described such transfers as a direct "
            "threat to the security of the region."
        ),
        (
            "The strike therefore carries a message beyond Syria. Faylaq al-Sham is considered one of "
            "the groups closest to Ankara, and hitting its main training ground shows that Russia is "
            "ready to raise the cost of any further movement of militants from Idlib to the Karabakh "
            "front. Turkish officials have not commented publicly."
        ),
        (
            "For the Syrian army the raid is a welcome development. Government forces have been "
            "accumulating troops south of the M4 highway for weeks, and a weaker militant presence in "
            "the area would make the next round of operations considerably easier if the ceasefire "
            "finally breaks down."
        ),
    ),
    "sf_drones": (
        (
            "The war over Nagorno-Karabakh is the first conflict in which loitering munitions and "
            "armed drones have shaped the course of a campaign from the very first day. Azerbaijan "
            "entered the war with a fleet of Turkish Bayraktar TB2 aircraft and Israeli-made Harop and "
            "SkyStriker munitions, and it used them relentlessly against Armenian air defence, "
            "artillery and logistics."
        ),
        (
            "The footage released by the Azerbaijani defence ministry tells the story. Ageing Soviet "
            "air defence systems such as the Osa and Strela were located and destroyed one by one, "
            "often before their crews understood that they were being watched. Tanks parked in the "
            "open and trucks on mountain roads followed."
        ),
        (
            "The Armenian forces had prepared for a very different war. Their defensive lines were "
            "built to absorb infantry and armoured assaults supported by artillery, the kind of fight "
            "that ended in 1994. They had few modern radars able to detect small, slow targets flying "
            "at medium altitude, and almost no electronic warfare units in the south."
        ),
        (
            "Cheap unmanned systems have changed the arithmetic of attrition. A Harop costs a fraction "
            "of the price of the radar or launcher it destroys, and the TB2 can spend a whole day over "
            "the battlefield spotting targets for rocket artillery. The side that controls the sky no "
            "longer needs a large air force to do it."
        ),
        (
            "Military planners from Moscow to Washington are watching closely. The lessons are not "
            "entirely new, as Syria and Libya showed the same pattern on a smaller scale, but Karabakh "
            "is the clearest demonstration so far that a mid-sized state can buy an air campaign off "
            "the shelf."
        ),
        (
            "The answer will not be a single weapon. Layered short-range air defence, mobile electronic "
            "warfare, camouflage and dispersion are all needed at once, and armies that fail to invest "
            "in them will find that their expensive equipment has become a target gallery."
        ),
    ),
    "sf_ever_given": (
        (
            "On the morning of March 23 the container ship Ever Given, one of the largest vessels "
            "afloat, ran aground in a single-lane section of the Suez Canal after strong winds and a "
            "sandstorm pushed its bow into the eastern bank. Within hours the waterway that carries "
            "around twelve percent of world trade was closed in both directions."
        ),
        (
            "The Suez Canal Authority sent dredgers and tugs, but the ship is four hundred metres long "
            "and wedged diagonally across the channel. By March 26 more than two hundred vessels were "
            "waiting at either end, among them tankers carrying crude oil and liquefied gas for Europe "
            "and bulk carriers loaded with grain."
        ),
        (
            "The insurers and analysts counting the cost speak of roughly nine billion dollars of goods "
            "held up every day. Several shipping lines have begun diverting vessels around the Cape "
            "of Good Hope, a detour that adds about two weeks and considerable fuel costs to a voyage "
            "between Asia and northern Europe."
        ),
        (
            "The incident shows how thin the margins of global logistics have become. Supply chains "
            "built on just-in-time delivery and ever larger ships save money in normal times, but a "
            "single accident in a narrow passage is now enough to ripple through factories and ports "
            "across three continents."
        ),
        (
            "It is also a reminder of the strategic weight of a few maritime chokepoints. The Strait "
            "of Hormuz, the Bab el-Mandeb and the Strait of Malacca carry similar volumes, and all of "
            "them sit in regions where naval powers watch each other closely. What a gust of wind did "
            "to Suez, a blockade could do elsewhere."
        ),
    ),
    "sf_black_sea": (
        (
            "Flights by NATO reconnaissance aircraft over the Black Sea have multiplied since the "
            "beginning of April. Open flight-tracking data show American RC-135 and P-8A Poseidon "
            "aircraft, as well as Global Hawk drones, operating almost daily along the coast of "
            "Crimea and the Krasnodar region."
        ),
        (
            "The surge coincides with the build-up of Russian forces near the Ukrainian border and in "
            "Crimea, which Moscow describes as a snap readiness inspection. Ukrainian officials speak "
            "of more than eighty thousand troops, and several Western capitals have asked the Kremlin "
            "to explain the purpose of the deployment."
        ),
        (
            "The Russian Black Sea Fleet responded with its own exercises. Missile boats and landing "
            "ships from the Caspian Flotilla have been transferred through the Volga-Don canal, and "
            "the defence ministry announced live firing drills in several sea areas that will be "
            "closed to foreign military vessels until the end of October."
        ),
        (
            "Two American destroyers were expected to enter the Black Sea in mid-April, but Washington "
            "cancelled the passage at short notice. Turkey, which controls the straits under the "
            "Montreux Convention, had already been notified of the transit."
        ),
        (
            "For now both sides prefer signals to shots. The reconnaissance aircraft stay in "
            "international airspace, and Russian interceptors escort them without incident. The risk "
            "lies in the density of activity: with so many ships and aircraft in a small sea, a "
            "single misjudged manoeuvre could have consequences nobody intends."
        ),
    ),
    "sf_libya": (
        (
            "Delegations of the two rival Libyan camps signed what the United Nations called a "
            "permanent ceasefire agreement in Geneva on October 23. The document was negotiated within "
            "the Joint Military Commission, where five officers from the Government of National "
            "Accord sat opposite five officers loyal to the Libyan National Army."
        ),
        (
            "Under the agreement all foreign fighters and mercenaries are to leave Libya within three "
            "months, and military units are to return to their bases. The parties also agreed to "
            "reopen the coastal road between Tripoli and Benghazi and to resume domestic flights, "
            "including to the southern cities."
        ),
        (
            "The acting UN envoy described the signing as a turning point, but the obstacles remain "
            "obvious. Turkey maintains military advisers and Syrian auxiliaries on the side of "
            "Tripoli, and the Libyan National Army relies on foreign contractors and air support of "
            "its own. None of these forces answer to the commission in Geneva."
        ),
        (
            "Ankara's reaction was cool. The Turkish president said that the agreement lacked "
            "credibility and would be judged by events on the ground, a sign that the training "
            "agreements signed with Tripoli are not up for discussion."
        ),
        (
            "Still, the economic incentive is strong. Oil production has recovered quickly since the "
            "blockade of the terminals was lifted in September, and both camps know that a return to "
            "fighting around Sirte would shut the wells again."
        ),
    ),
    "scf_arms_control": (
        (
            "The architecture of arms control that kept the Cold War from turning hot is being taken "
            "apart one treaty at a time, and it is happening with remarkably little public debate. "
            "The Intermediate-Range Nuclear Forces Treaty lapsed in August 2019. This month the United "
            "States formally left the Open Skies Treaty. New START, the last agreement limiting the "
            "strategic arsenals of Washington and Moscow, expires in February."
        ),
        (
            "Each withdrawal was presented as a response to violations by the other side, and each "
            "came with the promise of a better, more comprehensive agreement in the future. None of "
            "those agreements has materialised. What remains is a shrinking set of rules and a "
            "growing list of new weapons that no rules cover at all."
        ),
        (
            "Open Skies was never the most important of these treaties, but it was one of the most "
            "useful. Unarmed observation flights gave smaller states in particular a way to check "
            "military activity on their neighbours' territory without depending on the satellite "
            "imagery of a great power. European governments asked Washington to stay; they were "
            "ignored."
        ),
        (
            "The fate of New START will be the real test. Moscow has offered to extend it for five "
            "years without conditions. The outgoing administration in Washington demanded that China "
            "join and that a freeze on all warheads be added first, demands that Beijing dismissed "
            "out of hand."
        ),
        (
            "If the treaty expires, there will be no limits on strategic warheads and launchers for "
            "the first time since the early 1970s, and no inspections to verify what the other side "
            "is doing. Uncertainty of that kind has always been the fuel of arms races."
        ),
        (
            "Arms control was never about trust. It was about predictability, and about giving both "
            "sides the means to verify that the other was not preparing a surprise. Abandoning it "
            "does not make anyone safer; it only makes the next crisis harder to manage."
        ),
    ),
    "scf_suez": (
        (
            "For six days in March a single stranded container ship did what no navy has managed in "
            "decades: it closed the Suez Canal. The Ever Given was refloated on March 29, yet the "
            "episode has already revived an old argument in Moscow, Beijing and Tehran about the "
            "vulnerability of maritime trade routes controlled or patrolled by others."
        ),
        (
            "The sea route from China to Europe passes the Strait of Malacca, the Indian Ocean, the "
            "Bab el-Mandeb and Suez. Every one of these passages can be closed by an accident, by "
            "piracy or by political decision, and most of them sit within range of American naval "
            "power. That is a permanent concern for the planners of the Belt and Road."
        ),
        (
            "Rail freight across Eurasia offers a partial answer. Container trains between Chinese "
            "cities and Duisburg, Lodz or Madrid now take around two weeks, roughly half the time by "
            "sea, and traffic grew sharply during the pandemic when air cargo capacity collapsed. "
            "Kazakhstan and Russia have invested heavily in terminals and border crossings."
        ),
        (
            "Moscow is also promoting the Northern Sea Route along its Arctic coast, pointing out that "
            "a voyage from Shanghai to Rotterdam via the Arctic is several thousand kilometres shorter "
            "than the southern route. Ice, insurance costs and the short season still limit its use, "
            "but Rosatom plans year-round navigation within a few years."
        ),
        (
            "Neither railways nor Arctic shipping will replace the great container routes. A single "
            "large ship carries as much as dozens of trains. Yet diversification has its own value, "
            "and the blockage in Egypt made that argument more convincingly than any conference on "
            "connectivity ever could."
        ),
    ),
    "scf_nord_stream": (
        (
            "The new year has not brought relief to Nord Stream 2. The pipeline under the Baltic Sea "
            "is more than ninety percent complete, but the last stretch in Danish and German waters "
            "has become the most politically exposed construction site in Europe. On January 19 the "
            "outgoing administration in Washington imposed sanctions on the Russian pipe-laying "
            "vessel Fortuna and its owner."
        ),
        (
            "Germany's position has not changed in substance. The federal government continues to "
            "describe the project as a commercial undertaking, and the state of Mecklenburg-Western "
            "Pomerania has created a climate foundation that can buy equipment and services that "
            "sanctioned companies are no longer able to supply."
        ),
        (
            "Opponents of the pipeline argue that it increases European dependence on Russian gas and "
            "deprives Ukraine of transit revenue. Supporters answer that Europe needs additional "
            "supply as domestic production in the Netherlands and the North Sea declines, and that "
            "American liquefied gas is both more expensive and more polluting."
        ),
        (
            "The dispute is also about sovereignty. Many in Berlin resent the use of extraterritorial "
            "sanctions against companies of an allied country, and the European Commission has warned "
            "more than once that such measures undermine the single market. Yet no European "
            "institution has taken concrete steps to shield the firms involved."
        ),
        (
            "Much now depends on the new American administration. Its nominees have signalled that "
            "they consider the pipeline a bad deal for Europe, while also promising to repair "
            "relations with Berlin. Both aims cannot be pursued at full strength at the same time."
        ),
        (
            "Whatever Washington decides, the episode has taught European governments an "
            "uncomfortable lesson: energy policy is no longer a matter they can settle among "
            "themselves."
        ),
    ),
    "scf_belarus": (
        (
            "A month after the presidential election in Belarus, neither the government nor the "
            "opposition has found a way out of the crisis. Alexander Lukashenko was declared the "
            "winner with about eighty percent of the vote, a result the opposition and most European "
            "governments refuse to accept. Large Sunday marches in Minsk have become a weekly ritual."
        ),
        (
            "The authorities have combined arrests with concessions that cost them little. Several "
            "members of the opposition coordination council have been detained or pushed abroad, "
            "while the president talks about constitutional reform that would, at some unspecified "
            "date, redistribute powers away from his office."
        ),
        (
            "Moscow's position is decisive. After years of tense bargaining over oil prices and "
            "integration, the Kremlin has offered Minsk a loan of one and a half billion dollars and "
            "declared that it would not allow outside interference. The message to the European Union "
            "is clear: Belarus will not follow the path of Ukraine in 2014."
        ),
        (
            "Brussels, for its part, is preparing sanctions against officials responsible for "
            "falsifying the vote and for violence against protesters. The measures are largely "
            "symbolic, and Cyprus has blocked them so far in a dispute over Turkey."
        ),
        (
            "The result is a standoff without a clear end. The protest movement has no leader inside "
            "the country and no plan for taking power, and the state has no plan for winning back "
            "the people it has lost. Such situations can last for a very long time."
        ),
    ),
    "scf_central_asia_water": (
        (
            "Water, not oil or gas, may become the most contested resource in Central Asia in the "
            "coming decade. The region's two great rivers, the Amu Darya and the Syr Darya, rise in "
            "the mountains of Tajikistan and Kyrgyzstan and flow down to the cotton fields of "
            "Uzbekistan, Turkmenistan and Kazakhstan."
        ),
        (
            "During the Soviet period the system worked through barter. The upstream republics "
            "released water in summer for irrigation downstream and received gas and coal in winter "
            "in return. When the Soviet Union dissolved, the barter ended, and the upstream states "
            "began to store water in winter to generate electricity, precisely when the farmers "
            "downstream do not need it."
        ),
        (
            "The Rogun dam in Tajikistan, which would be the tallest in the world once completed, has "
            "long been the symbol of this dispute. For years Tashkent regarded it as a threat to its "
            "agriculture, but the new Uzbek leadership has softened its stance and even discussed "
            "buying electricity from it."
        ),
        (
            "Climate change is making every compromise harder. The glaciers that feed both rivers are "
            "shrinking, the population of the region is growing quickly, and the irrigation canals "
            "built decades ago lose a large share of the water they carry."
        ),
        (
            "The border clashes between Kyrgyz and Tajik villagers over irrigation channels show how "
            "quickly a local quarrel can turn violent. Regional cooperation exists on paper, but it "
            "needs money and political will that have been in short supply."
        ),
    ),
    "gr_pandemic_economy": (
        (
            "Nine months into the pandemic, the economic bill for the lockdowns is arriving, and it "
            "is being sent to the people least able to pay it. Small businesses, seasonal workers and "
            "the self-employed have absorbed the brunt of closures that were ordered with little "
            "consultation and extended with little evidence."
        ),
        (
            "The figures from national statistics agencies are stark. Employment in hospitality and "
            "retail remains far below its level of February, and a large share of the jobs that "
            "returned in the summer have disappeared again with the second wave of restrictions. "
            "Meanwhile the largest online retailers have reported record quarterly profits."
        ),
        (
            "Central banks have responded in the only way they know. Asset purchase programmes have "
            "been expanded several times, interest rates sit at or below zero, and stock indices have "
            "recovered almost all of their spring losses. For holders of financial assets the crisis "
            "is already over."
        ),
        (
            "The result is a transfer of wealth on a scale rarely seen outside wartime. Households "
            "with savings and property have become richer, while those who depend on wages and "
            "small trade have drawn down what little reserves they had. Food banks in several "
            "wealthy countries report queues that they have never seen before."
        ),
        (
            "None of this was inevitable. Public health measures could have been designed together "
            "with income support that reached the informal economy, and governments could have "
            "asked the sectors that profited from the crisis to contribute to its cost. The choice "
            "not to do so is political, and it should be debated as such."
        ),
    ),
    "gr_cbdc": (
        (
            "Central banks around the world are preparing to issue digital versions of their "
            "currencies. The People's Bank of China has been testing a digital yuan in several "
            "cities, the European Central Bank has opened a public consultation on a digital euro, "
            "and the Bank of England has set up a task force with the Treasury."
        ),
        (
            "Officials present central bank digital currencies as a modernisation of cash, a safe "
            "public alternative to private payment apps and cryptocurrencies. The design documents, "
            "however, reveal ambitions that go well beyond that."
        ),
        (
            "A digital currency held in accounts at the central bank, or in wallets that it can "
            "monitor, would give the authorities a complete record of every transaction. It would "
            "allow interest rates below zero to be applied directly to savings, and it could be "
            "programmed to restrict what money can be spent on, or by when."
        ),
        (
            "Supporters answer that privacy can be protected through careful design, for instance by "
            "limiting the data that intermediaries pass on. Yet the same documents stress the need to "
            "combat money laundering and tax evasion, objectives that require exactly the kind of "
            "traceability that privacy advocates fear."
        ),
        (
            "Commercial banks have their own concerns. If households can hold money directly with the "
            "central bank, deposits could flow out of the banking system in a crisis within hours, "
            "and lending would become more expensive."
        ),
        (
            "The decline of cash was accelerated by the pandemic, when many shops refused notes and "
            "coins. Before it disappears altogether, citizens deserve an open debate about what kind "
            "of money they want, and about who should control it."
        ),
    ),
    "gr_vaccine_patents": (
        (
            "In October last year India and South Africa asked the World Trade Organization to "
            "suspend certain intellectual property rules for COVID-19 vaccines, medicines and tests "
            "for the duration of the pandemic. For months the proposal was blocked by a small group "
            "of wealthy members, including the United States, the European Union, Britain and "
            "Switzerland."
        ),
        (
            "On May 5 the Biden administration changed course and announced that it would support "
            "negotiations on a waiver for vaccines. The announcement was greeted with enthusiasm by "
            "health campaigners and with dismay by the pharmaceutical industry, whose shares fell "
            "sharply the same afternoon."
        ),
        (
            "The industry argues that patents are not the bottleneck. Producing mRNA vaccines, it "
            "says, requires specialised equipment, raw materials and know-how that cannot be "
            "transferred by lifting legal protections. Manufacturers in India, Bangladesh and South "
            "Africa answer that they have the capacity and only lack the licences and technology "
            "transfer to use it."
        ),
        (
            "The numbers behind the debate are uncomfortable. High-income countries, home to about "
            "sixteen percent of the world's population, have secured more than half of all vaccine "
            "doses purchased so far. Many low-income countries have vaccinated less than one percent "
            "of their people."
        ),
        (
            "A waiver would not deliver doses overnight. But the public paid for much of the research "
            "behind these vaccines, through grants, advance purchase agreements and university "
            "laboratories. It is reasonable to ask why the knowledge that came out of it should remain "
            "private property during a global emergency."
        ),
        "Negotiations in Geneva are expected to take months, and the European Union has already signalled that it prefers voluntary licensing and export commitments to a suspension of patents. The outcome will show whether the rules of global trade can bend in an emergency, or only for those who wrote them.",
    ),
    "gr_food_prices": (
        (
            "The price of food on world markets has risen for eleven consecutive months. The food "
            "price index of the Food and Agriculture Organization stood in April at its highest level "
            "since 2014, driven by cereals, vegetable oils and sugar."
        ),
        (
            "Several causes are at work at once. Drought in South America reduced the maize and "
            "soybean harvests, China has been buying grain on a massive scale to rebuild its pig "
            "herds after African swine fever, and the cost of shipping bulk cargo has tripled "
            "within a year."
        ),
        (
            "Fertiliser is the less visible part of the story. Prices of urea and phosphates have "
            "climbed sharply with the price of natural gas, and farmers in poorer countries are "
            "already cutting the amount they apply, which will lower yields in the next season."
        ),
        (
            "Speculation adds fuel to the fire. Investment funds have increased their positions in "
            "agricultural futures as a hedge against inflation, and the same pattern preceded the "
            "food crises of 2008 and 2011, both of which ended in unrest from North Africa to "
            "South Asia."
        ),
        (
            "Import-dependent countries have little room to act. Many of them spent their reserves "
            "on the pandemic, and their currencies have lost value against the dollar. Unless "
            "international lenders relax the conditions attached to their support, the coming "
            "winter will be one of hunger for millions of households."
        ),
        "The fashionable explanation blames the pandemic alone, but the structure of the market matters more. A handful of trading companies handle most of the world's grain, and the countries that once kept public reserves were persuaded in the 1990s to dismantle them in the name of efficiency.",
    ),
}

# The donation appeal South Front appends to its posts; republishers copy it along with
# the article, which makes it shared text across unrelated copies.
SF_SUPPORT = (
    "SUPPORT SOUTHFRONT:",
    (
        "PayPal: [donate@southfront.test](http://southfront.test/donate/), or via our "
        "[Patreon page](http://southfront.test/support/)"
    ),
)
